import type { MigrationGraph, MigrationKey } from './graph.js';
import type { Migration } from './migration.js';
import { ProjectState } from './state/project-state.js';

/**
 * The project state the database has: every applied migration replayed in
 * dependency order.
 * @example
 * appliedState(graph, applied).has('blog', 'Post');
 */
export function appliedState(graph: MigrationGraph, applied: ReadonlySet<MigrationKey>): ProjectState {
  const state = new ProjectState();
  for (const key of graph.fullPlan()) if (applied.has(key)) graph.migration(key).applyState(state);
  return state;
}

/**
 * The state just before `key`: its dependencies (and theirs) replayed, the
 * state `sqlmigrate` shows a migration's SQL from.
 */
export function stateBefore(graph: MigrationGraph, key: MigrationKey): ProjectState {
  const state = new ProjectState();
  for (const k of graph.forwardsPlan(key)) if (k !== key) graph.migration(k).applyState(state);
  return state;
}

/**
 * For each migration to unapply, the state before it while everything
 * applied is in place: replay the applied history in order and take a
 * snapshot as each of them comes up (Django's `_migrate_all_backwards`).
 */
export function statesBeforeEach(graph: MigrationGraph, applied: ReadonlySet<MigrationKey>, toUnapply: readonly Migration[]): Map<Migration, ProjectState> {
  const wanted = new Map(toUnapply.map((migration) => [`${migration.appLabel}.${migration.name}`, migration]));
  const out = new Map<Migration, ProjectState>();
  const state = new ProjectState();
  for (const key of graph.fullPlan()) {
    if (out.size === wanted.size) break;
    const migration = wanted.get(key);
    if (migration) out.set(migration, state.clone());
    if (migration || applied.has(key)) graph.migration(key).applyState(state);
  }
  return out;
}
