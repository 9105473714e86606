import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { Autodetector } from './autodetector/autodetector.js';
import type { MigrationLeaves } from './autodetector/build-migrations.js';
import { loadDeclaredModels } from './declared-models.js';
import { MigrationUsageError } from './errors.js';
import type { MigrationGraph } from './graph.js';
import { MigrationLoader, type MigrationApp } from './loader.js';
import { appliedState } from './migration-states.js';
import { Migration } from './migration.js';
import { migrationNumber, suggestMigrationName } from './migration-name.js';
import type { Danger } from './operations/operation.js';
import type { Questioner } from './questioner/questioner.js';
import { ProjectState } from './state/project-state.js';
import { migrationPath, writeMigration } from './writer.js';

export interface MakeMigrationsOptions {
  /** Installed apps (label and folder), in INSTALLED_APPS order. */
  readonly apps: readonly MigrationApp[];
  /** Only these app labels (and apps their new migrations need). */
  readonly appLabels?: readonly string[];
  readonly questioner: Questioner;
  /** Name after the number instead of a generated one. */
  readonly name?: string;
  /** Compute and return the migrations, write nothing. */
  readonly dryRun?: boolean;
  /** Write an empty migration for each app of `appLabels` (for data migrations written by hand). */
  readonly empty?: boolean;
  /** The declared models (default: imported from each app's models module and the registry). */
  readonly models?: readonly AnyModel[];
  /** The migrations already on disk (default: loaded from the apps' folders). */
  readonly loader?: MigrationLoader;
  /** Module the written files import from (default '@atrium/orm/migrations'). */
  readonly importFrom?: string;
  /** Dialect the safety warnings are about (default 'postgres', where locks matter). */
  readonly dialect?: Dialect;
  readonly now?: Date;
}

/** A migration makemigrations produced. */
export interface MadeMigration {
  readonly migration: Migration;
  /** Where it is (or would be) written. */
  readonly path: string;
  readonly source: string;
  /** Per operation (same order): what it may do to a production database. */
  readonly dangers: ReadonlyArray<readonly Danger[]>;
}

/**
 * makemigrations as a function: compare the declared models with the state
 * of the apps' migrations, ask what cannot be guessed, and write (or, in a
 * dry run, only return) the new migration files. Returns nothing new when
 * the models match the migrations.
 * @example
 * const made = await makeMigrations({ apps: project.context.apps.all(), questioner: new NonInteractiveQuestioner() });
 * for (const m of made) console.log(m.path);
 */
export async function makeMigrations(options: MakeMigrationsOptions): Promise<MadeMigration[]> {
  checkAppLabels(options.apps, options.appLabels ?? []);
  if (options.name !== undefined && !/^[A-Za-z0-9_]+$/.test(options.name)) {
    throw new MigrationUsageError(`--name '${options.name}' must be letters, digits and underscores (it becomes part of a file name).`);
  }
  const loader = options.loader ?? (await MigrationLoader.load(options.apps));
  const graph = loader.graph;
  const leaves = leavesOf(graph);
  const from = appliedState(graph, new Set(graph.keys()));
  let changes: Map<string, Migration[]>;
  if (options.empty) {
    if (!options.appLabels || options.appLabels.length === 0) throw new MigrationUsageError('--empty needs the app label(s) to write an empty migration for: makemigrations --empty blog.');
    changes = new Map(options.appLabels.map((app) => [app, [emptyMigration(app, leaves, options)]] as const));
  } else {
    const models = options.models ?? (await loadDeclaredModels(options.apps)).models;
    const to = ProjectState.fromModels(models);
    changes = await new Autodetector(from, to, options.questioner).changes(leaves, {
      ...(options.appLabels && options.appLabels.length > 0 ? { apps: options.appLabels } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const made = describe(changes, from, options);
  if (!options.dryRun) await writeAll(made);
  return made;
}

export interface MergeOptions {
  readonly apps: readonly MigrationApp[];
  readonly appLabels?: readonly string[];
  readonly loader?: MigrationLoader;
  readonly dryRun?: boolean;
  readonly importFrom?: string;
  readonly now?: Date;
}

/** A merge migration with the branches it joins. */
export interface MadeMerge extends MadeMigration {
  /** Per leaf: its name and the operations of its branch since the common ancestor. */
  readonly branches: ReadonlyArray<{ readonly leaf: string; readonly operations: readonly string[] }>;
}

/**
 * makemigrations --merge: for each app with more than one latest migration
 * (branches made in parallel), a migration depending on all of them with no
 * operations, so the graph has one leaf again. Both branches' operations
 * then apply in dependency order; review them for clashes.
 * @example
 * await mergeMigrations({ apps: project.context.apps.all() });
 */
export async function mergeMigrations(options: MergeOptions): Promise<MadeMerge[]> {
  checkAppLabels(options.apps, options.appLabels ?? []);
  const loader = options.loader ?? (await MigrationLoader.load(options.apps, { validate: false }));
  const graph = loader.graph;
  graph.assertAcyclic();
  const out: MadeMerge[] = [];
  for (const [app, leafNames] of Object.entries(graph.conflicts())) {
    if (options.appLabels && options.appLabels.length > 0 && !options.appLabels.includes(app)) continue;
    const keys = leafNames.map((name) => `${app}.${name}`);
    const ancestors = keys.map((key) => new Set(graph.forwardsPlan(key)));
    const common = new Set([...ancestors[0]!].filter((key) => ancestors.every((set) => set.has(key))));
    const branches = keys.map((key, i) => ({
      leaf: leafNames[i]!,
      operations: graph
        .forwardsPlan(key)
        .filter((k) => !common.has(k) && k.startsWith(`${app}.`))
        .flatMap((k) => graph.migration(k).operations.map((operation) => `${k.slice(app.length + 1)}: ${operation.describe()}`)),
    }));
    const number = Math.max(...leafNames.map((name) => migrationNumber(name) ?? 0)) + 1;
    let suffix = `merge_${[...leafNames].sort().join('_')}`;
    if (suffix.length > 52) suffix = `merge_${suggestMigrationName([], false, options.now).slice('auto_'.length)}`;
    const migration = new Migration({ dependencies: leafNames.map((name) => [app, name] as const), operations: [] }, app, `${String(number).padStart(4, '0')}_${suffix}`);
    const path = migrationPath(appPath(options.apps, app), migration.name);
    out.push({ migration, path, source: writeMigration(migration, writeOptions(options)), dangers: [], branches });
  }
  if (!options.dryRun) await writeAll(out);
  return out;
}

/** Each app's single leaf name (the graph was validated, so there is at most one). */
function leavesOf(graph: MigrationGraph): MigrationLeaves {
  return {
    leaf(appLabel) {
      const [key] = graph.leafNodes(appLabel);
      return key === undefined ? null : key.slice(appLabel.length + 1);
    },
  };
}

function emptyMigration(app: string, leaves: MigrationLeaves, options: MakeMigrationsOptions): Migration {
  const leaf = leaves.leaf(app);
  const number = (leaf !== null ? (migrationNumber(leaf) ?? 0) : 0) + 1;
  const suffix = options.name ?? suggestMigrationName([], false, options.now);
  return new Migration({ dependencies: leaf !== null ? [[app, leaf]] : [], operations: [], initial: leaf === null }, app, `${String(number).padStart(4, '0')}_${suffix}`);
}

/** Paths, sources and dangers of new migrations (states replayed in dependency order). */
function describe(changes: ReadonlyMap<string, readonly Migration[]>, from: ProjectState, options: MakeMigrationsOptions): MadeMigration[] {
  const all = [...changes.values()].flat();
  const keys = new Set(all.map((migration) => migration.key));
  const done = new Set<string>();
  const dangers = new Map<Migration, Danger[][]>();
  const state = from.clone();
  while (done.size < all.length) {
    const ready = all.find((m) => !done.has(m.key) && m.dependencies.every(([app, name]) => !keys.has(`${app}.${name}`) || done.has(`${app}.${name}`)));
    if (!ready) break; // the autodetector orders them; a cycle here would be its bug, and the graph check reports it
    dangers.set(
      ready,
      ready.operations.map((operation) => {
        const found = operation.dangers(options.dialect ?? 'postgres', state);
        operation.stateForwards(state);
        return found;
      }),
    );
    done.add(ready.key);
  }
  return all.map((migration) => ({
    migration,
    path: migrationPath(appPath(options.apps, migration.appLabel), migration.name),
    source: writeMigration(migration, writeOptions(options)),
    dangers: dangers.get(migration) ?? migration.operations.map(() => []),
  }));
}

async function writeAll(made: readonly MadeMigration[]): Promise<void> {
  for (const { path } of made) {
    if (existsSync(path)) throw new MigrationUsageError(`${path} already exists; nothing was written. Remove it or pass another --name.`);
  }
  for (const { path, source } of made) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, source, { flag: 'wx' });
  }
}

function appPath(apps: readonly MigrationApp[], label: string): string {
  const app = apps.find((candidate) => candidate.label === label);
  if (!app) throw new MigrationUsageError(`Models of app '${label}' need a migration, but no installed app has that label. Add it to INSTALLED_APPS.`);
  return app.path;
}

function checkAppLabels(apps: readonly MigrationApp[], labels: readonly string[]): void {
  const known = apps.map((app) => app.label);
  for (const label of labels) {
    if (!known.includes(label)) {
      throw new MigrationUsageError(`App '${label}' is not installed${didYouMean(label, known) || '.'} Installed apps: ${known.join(', ') || '(none)'}.`);
    }
  }
}

function writeOptions(options: { importFrom?: string }): { importFrom?: string } {
  return options.importFrom !== undefined ? { importFrom: options.importFrom } : {};
}
