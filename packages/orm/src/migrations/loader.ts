import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidMigration } from './errors.js';
import { MigrationGraph, migrationKey, type MigrationKey } from './graph.js';
import type { Migration } from './migration.js';

/** What the loader needs of an installed app (an AppConfig fits). */
export interface MigrationApp {
  readonly label: string;
  /** The app folder; its migrations are in `<path>/migrations/`. */
  readonly path: string;
}

export interface LoadOptions {
  /** Check for cycles and conflicting leaves (default true; showmigrations shows a conflicted graph too). */
  validate?: boolean;
}

const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;
/**
 * `0001_initial`, `0002_add_post_slug`: a number, an underscore, then
 * letters, digits and underscores. Other modules in the folder are not
 * migrations (helpers, an index — and the ORM's own `migrations/` code, since
 * the orm app's folder holds it).
 */
const MIGRATION_NAME = /^\d+_[A-Za-z0-9_]+$/;

/**
 * The migrations of the installed apps: every `APP/migrations/NAME.ts` (or
 * .mts/.js/.mjs) file's default export, bound to its app and name, in a
 * graph. TypeScript files need a loader: the `manage` CLI registers tsx.
 * @example
 * const loader = await MigrationLoader.load(project.context.apps.all());
 * loader.graph.leafNodes('blog'); // ['blog.0002_add_post_slug']
 */
export class MigrationLoader {
  readonly graph: MigrationGraph;
  /** The apps looked at, in INSTALLED_APPS order. */
  readonly apps: readonly MigrationApp[];
  readonly #files: ReadonlyMap<MigrationKey, string>;

  private constructor(graph: MigrationGraph, apps: readonly MigrationApp[], files: ReadonlyMap<MigrationKey, string>) {
    this.graph = graph;
    this.apps = apps;
    this.#files = files;
  }

  /** Import every app's migration files and build the graph. */
  static async load(apps: readonly MigrationApp[], options: LoadOptions = {}): Promise<MigrationLoader> {
    const migrations: Migration[] = [];
    const files = new Map<MigrationKey, string>();
    for (const app of apps) {
      for (const [name, file] of await migrationFiles(app)) {
        migrations.push(await importMigration(app.label, name, file));
        files.set(migrationKey(app.label, name), file);
      }
    }
    return MigrationLoader.fromMigrations(migrations, apps, options, files);
  }

  /** A loader over migrations already in memory (bound to their app and name), for tests and tools. */
  static fromMigrations(migrations: Iterable<Migration>, apps: readonly MigrationApp[] = [], options: LoadOptions = {}, files: ReadonlyMap<MigrationKey, string> = new Map()): MigrationLoader {
    const graph = new MigrationGraph(migrations);
    if (options.validate !== false) graph.validate();
    return new MigrationLoader(graph, apps, files);
  }

  /** The file a migration was loaded from (undefined for in-memory ones). */
  file(key: MigrationKey): string | undefined {
    return this.#files.get(key);
  }

  /** True when the app has a migrations folder with at least one migration. */
  hasMigrations(appLabel: string): boolean {
    return this.graph.keys(appLabel).length > 0;
  }
}

/** `[name, file]` of an app's migration files, by name; a name present as .ts and .js is taken once, TypeScript first. */
export async function migrationFiles(app: MigrationApp): Promise<Array<[string, string]>> {
  const folder = join(app.path, 'migrations');
  if (!existsSync(folder)) return [];
  const entries = await readdir(folder, { withFileTypes: true });
  const byName = new Map<string, string>();
  for (const extension of MODULE_EXTENSIONS) {
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith(extension) || entry.name.endsWith(`.d${extension}`)) continue;
      const name = entry.name.slice(0, -extension.length);
      if (!MIGRATION_NAME.test(name) || byName.has(name)) continue;
      byName.set(name, join(folder, entry.name));
    }
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function importMigration(appLabel: string, name: string, file: string): Promise<Migration> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidMigration(`Could not load migration ${appLabel}.${name} (${file}): ${reason}`, { cause });
  }
  const value = module.default;
  if (!isMigration(value)) {
    throw new InvalidMigration(
      `${file} must default-export a migration: export default migration({ dependencies: [...], operations: [...] }) (import { migration, ops, f } from '@atrium/orm/migrations').`,
    );
  }
  return value.bind(appLabel, name);
}

/**
 * Duck-typed: a migration file may load the package through another path
 * than the loader (the built package vs. its sources), making `instanceof`
 * fail for a real migration.
 */
function isMigration(value: unknown): value is Migration {
  const candidate = value as Partial<Migration> | null;
  return typeof candidate === 'object' && candidate !== null && Array.isArray(candidate.operations) && Array.isArray(candidate.dependencies) && typeof candidate.bind === 'function';
}
