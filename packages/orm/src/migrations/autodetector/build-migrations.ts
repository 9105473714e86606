import { AutodetectorError } from '../errors.js';
import type { Operation } from '../operations/operation.js';
import { provides, type PlannedOperation } from './dependency.js';

/** The latest existing migration of each app (the graph's leaf), from the loader. */
export interface MigrationLeaves {
  /** Name of the app's latest migration, or null when it has none. */
  leaf(appLabel: string): string | null;
}

/** A migration being assembled: dependencies on other drafts are resolved to names once drafts are named. */
export interface DraftMigration {
  readonly app: string;
  operations: Operation[];
  readonly dependencies: Array<DraftMigration | readonly [string, string]>;
}

/**
 * Cut each app's sorted operations into migrations (Django's
 * _build_migration_list). An app's operations all go into one migration
 * when every dependency on another app is met by migrations already made in
 * this run or by that app's existing ones; when apps wait on each other (a
 * relation cycle across apps), "chop mode" cuts a migration at the first
 * operation that must wait, and the loop continues.
 */
export function buildMigrations(perApp: ReadonlyMap<string, readonly PlannedOperation[]>, leaves: MigrationLeaves): Map<string, DraftMigration[]> {
  const pending = new Map<string, PlannedOperation[]>([...perApp].map(([app, planned]) => [app, [...planned]]));
  const made = new Map<string, DraftMigration[]>();
  const apps = [...pending.keys()].sort();
  let remaining = count(pending);
  let chop = false;
  while (remaining > 0) {
    for (const app of apps) {
      const queue = pending.get(app)!;
      if (queue.length === 0) continue;
      const taken: PlannedOperation[] = [];
      const dependencies = new Set<DraftMigration | string>();
      for (const planned of queue) {
        const needs = externalNeeds(planned, app, pending, made, leaves);
        if (needs === null) break;
        for (const need of needs) dependencies.add(need);
        taken.push(planned);
      }
      if (taken.length === 0) continue;
      if (taken.length < queue.length && !chop) continue; // wait until the whole app can go in one migration
      queue.splice(0, taken.length);
      const list = made.get(app) ?? [];
      list.push({
        app,
        operations: taken.map((planned) => planned.operation),
        dependencies: [...dependencies].map((need) => (typeof need === 'string' ? splitKey(need) : need)),
      });
      made.set(app, list);
      chop = false;
    }
    const now = count(pending);
    if (now === remaining) {
      if (chop) {
        const stuck = [...pending].flatMap(([app, queue]) => queue.map((planned) => `${app}: ${planned.operation.describe()}`));
        throw new AutodetectorError(`Cannot order the detected changes; these operations wait on each other: ${stuck.join('; ')}.`);
      }
      chop = true;
    }
    remaining = now;
  }
  return made;
}

/**
 * What an operation needs from other apps: drafts made in this run or
 * existing leaves ('app.name' keys), or null when a dependency is still
 * pending in another app.
 */
function externalNeeds(
  planned: PlannedOperation,
  app: string,
  pending: ReadonlyMap<string, readonly PlannedOperation[]>,
  made: ReadonlyMap<string, DraftMigration[]>,
  leaves: MigrationLeaves,
): Array<DraftMigration | string> | null {
  const needs: Array<DraftMigration | string> = [];
  for (const dependency of planned.dependencies) {
    if (dependency.app === app) continue; // the sort put same-app providers first
    if ((pending.get(dependency.app) ?? []).some((other) => provides(other.operation, dependency))) return null;
    const drafts = made.get(dependency.app);
    if (drafts && drafts.length > 0) {
      needs.push(drafts[drafts.length - 1]!);
      continue;
    }
    const leaf = leaves.leaf(dependency.app);
    if (leaf !== null) needs.push(`${dependency.app}.${leaf}`);
  }
  return needs;
}

function count(pending: ReadonlyMap<string, readonly PlannedOperation[]>): number {
  let total = 0;
  for (const queue of pending.values()) total += queue.length;
  return total;
}

function splitKey(key: string): readonly [string, string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/**
 * Keep only the migrations of `apps` and of the apps they depend on
 * (transitively): `makemigrations blog` still writes the migration of an
 * app that blog's new relation needs (Django's _trim_to_apps).
 */
export function trimToApps(drafts: Map<string, DraftMigration[]>, apps: readonly string[]): Map<string, DraftMigration[]> {
  const keep = new Set(apps);
  const queue = [...apps];
  while (queue.length > 0) {
    const app = queue.pop()!;
    for (const draft of drafts.get(app) ?? []) {
      for (const dependency of draft.dependencies) {
        const other = Array.isArray(dependency) ? (dependency as readonly [string, string])[0] : (dependency as DraftMigration).app;
        if (!Array.isArray(dependency) && !keep.has(other)) {
          keep.add(other);
          queue.push(other);
        }
      }
    }
  }
  return new Map([...drafts].filter(([app]) => keep.has(app)));
}
