import { InconsistentMigrationHistory, MigrationTargetError } from './migrate-errors.js';
import { migrationKey, type MigrationGraph, type MigrationKey } from './graph.js';
import type { Migration } from './migration.js';

/** One step of a plan: apply a migration, or unapply it (`backwards`). */
export interface PlanStep {
  readonly migration: Migration;
  readonly backwards: boolean;
}

/**
 * Where to migrate an app: its migration `name` (forwards to it, or back so
 * that it is the latest applied), or `null` for "zero" (unapply all of it).
 */
export interface MigrationTarget {
  readonly appLabel: string;
  readonly name: string | null;
}

/**
 * Targets for `migrate [APP] [TARGET|zero]`: every app's latest migration,
 * one app's latest, one app's named migration (a unique prefix is enough:
 * `0002`), or zero.
 * @example
 * resolveTargets(graph, 'blog', '0001'); // [{ appLabel: 'blog', name: '0001_initial' }]
 */
export function resolveTargets(graph: MigrationGraph, appLabel?: string, target?: string): MigrationTarget[] {
  if (appLabel === undefined) return graph.leafNodes().map((key) => targetOf(graph, key));
  const keys = graph.keys(appLabel);
  if (keys.length === 0) {
    const apps = graph.appLabels();
    throw new MigrationTargetError(`App '${appLabel}' has no migrations. Apps with migrations: ${apps.join(', ') || '(none)'}. Run makemigrations ${appLabel} first if it has models.`);
  }
  if (target === undefined) return graph.leafNodes(appLabel).map((key) => targetOf(graph, key));
  if (target === 'zero') return [{ appLabel, name: null }];
  const names = keys.map((key) => graph.migration(key).name);
  if (names.includes(target)) return [{ appLabel, name: target }];
  const matches = names.filter((name) => name.startsWith(target));
  if (matches.length === 1) return [{ appLabel, name: matches[0]! }];
  if (matches.length > 1) throw new MigrationTargetError(`More than one migration of '${appLabel}' starts with '${target}': ${matches.join(', ')}. Give more of the name.`);
  throw new MigrationTargetError(`App '${appLabel}' has no migration '${target}'. Its migrations: ${names.join(', ')} (or 'zero' to unapply them all).`);
}

function targetOf(graph: MigrationGraph, key: MigrationKey): MigrationTarget {
  const migration = graph.migration(key);
  return { appLabel: migration.appLabel, name: migration.name };
}

/**
 * The steps that bring the database from `applied` to `targets` (Django's
 * plan): a target not applied yet is applied with everything it needs; an
 * applied target is kept and the app's later migrations (and what depends on
 * them) are unapplied; zero unapplies the app. A plan goes one way only.
 * @example
 * planMigrations(graph, [{ appLabel: 'blog', name: null }], applied).map((s) => s.backwards); // [true, true]
 */
export function planMigrations(graph: MigrationGraph, targets: readonly MigrationTarget[], applied: ReadonlySet<MigrationKey>): PlanStep[] {
  const done = new Set(applied);
  const plan: PlanStep[] = [];
  const unapply = (key: MigrationKey): void => {
    for (const k of graph.backwardsPlan(key)) {
      if (done.has(k)) {
        plan.push({ migration: graph.migration(k), backwards: true });
        done.delete(k);
      }
    }
  };
  for (const target of targets) {
    if (target.name === null) {
      for (const root of graph.rootNodes(target.appLabel)) unapply(root);
      continue;
    }
    const key = migrationKey(target.appLabel, target.name);
    if (done.has(key)) {
      // Roll back only through the target's successors in its own app, not dependencies elsewhere.
      for (const child of graph.childrenInApp(key)) unapply(child);
      continue;
    }
    for (const k of graph.forwardsPlan(key)) {
      if (!done.has(k)) {
        plan.push({ migration: graph.migration(k), backwards: false });
        done.add(k);
      }
    }
  }
  if (plan.some((step) => step.backwards) && plan.some((step) => !step.backwards)) {
    throw new MigrationTargetError('These targets need some migrations applied and others unapplied; migrate to each target separately.');
  }
  return plan;
}

/**
 * Refuse a recorded history where a migration is applied but one it depends
 * on is not (a migration added below applied ones, or a record deleted by hand).
 */
export function checkConsistentHistory(graph: MigrationGraph, applied: ReadonlySet<MigrationKey>): void {
  for (const key of applied) {
    if (!graph.has(key)) continue;
    for (const [app, name] of graph.migration(key).dependencies) {
      const parent = migrationKey(app, name);
      if (graph.has(parent) && !applied.has(parent)) {
        throw new InconsistentMigrationHistory(
          `Migration ${key} is applied before its dependency ${parent}. Apply ${parent} with 'migrate --fake ${app} ${name}' if its changes are already in the database, or unapply ${key} first.`,
        );
      }
    }
  }
}
