import { IrreversibleOperation } from './errors.js';
import type { MigrationSchemaEditor } from './migration-schema-editor.js';
import type { Migration } from './migration.js';
import type { Operation } from './operations/operation.js';
import type { ProjectState } from './state/project-state.js';

/** An operation that threw, with its place in the migration. */
export class OperationError extends Error {
  readonly index: number;
  readonly count: number;
  readonly operation: Operation;
  constructor(index: number, count: number, operation: Operation, cause: unknown) {
    super(`operation ${index + 1} of ${count} (${operation.describe()}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.index = index;
    this.count = count;
    this.operation = operation;
  }
}

export interface OperationHooks {
  /** Before each operation (sqlmigrate writes its description as a comment). */
  before?(operation: Operation, index: number): void;
  /** After each operation succeeded. */
  after?(operation: Operation, index: number): Promise<void> | void;
}

/**
 * Apply a migration's operations to the database through `editor`, each
 * between the state before it and the state after it. Returns the state
 * after the migration; `state` is not changed.
 */
export async function applyOperations(migration: Migration, state: ProjectState, editor: MigrationSchemaEditor, hooks: OperationHooks = {}): Promise<ProjectState> {
  let current = state;
  const count = migration.operations.length;
  for (const [index, operation] of migration.operations.entries()) {
    const next = current.clone();
    operation.stateForwards(next);
    hooks.before?.(operation, index);
    try {
      await operation.databaseForwards(editor, current, next);
      await hooks.after?.(operation, index);
    } catch (error) {
      throw new OperationError(index, count, operation, error);
    }
    current = next;
  }
  return current;
}

/**
 * Undo a migration's operations, last first. `state` is the state before the
 * migration (everything else applied stays in it); each operation gets the
 * state after it as `fromState` and the state before it as `toState`.
 */
export async function unapplyOperations(migration: Migration, state: ProjectState, editor: MigrationSchemaEditor, hooks: OperationHooks = {}): Promise<void> {
  assertReversible(migration);
  const steps: Array<{ operation: Operation; index: number; before: ProjectState; after: ProjectState }> = [];
  let current = state;
  for (const [index, operation] of migration.operations.entries()) {
    const after = current.clone();
    operation.stateForwards(after);
    steps.unshift({ operation, index, before: current, after });
    current = after;
  }
  const count = migration.operations.length;
  for (const { operation, index, before, after } of steps) {
    hooks.before?.(operation, index);
    try {
      await operation.databaseBackwards(editor, after, before);
      await hooks.after?.(operation, index);
    } catch (error) {
      throw new OperationError(index, count, operation, error);
    }
  }
}

/** Throw before anything runs when an operation of the migration cannot be undone. */
export function assertReversible(migration: Migration): void {
  const stuck = migration.operations.findIndex((operation) => !operation.reversible);
  if (stuck < 0) return;
  const operation = migration.operations[stuck]!;
  throw new IrreversibleOperation(
    `Migration ${migration.appLabel}.${migration.name} cannot be unapplied: operation ${stuck + 1} (${operation.describe()}) is irreversible. Give it a reverse (reverseSql for RunSQL, backward for RunCode — ops.noop when nothing needs undoing), or stop at a later migration.`,
  );
}
