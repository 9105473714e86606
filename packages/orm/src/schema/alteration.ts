import type { CompiledQuery } from 'kysely';
import type { SchemaEffect } from './schema-effect.js';

/** An index or constraint, to check that it exists before renaming it. */
export interface ObjectRef {
  readonly kind: 'index' | 'constraint';
  readonly name: string;
  readonly table: string;
}

/**
 * Statements that run together. A step with `onlyIfExists` renames an
 * object whose name derives from table and column names: when the database
 * has it under another name (an older migration, or a rename done in two
 * calls), the executing editor skips the step instead of failing — the
 * object works the same under its old name.
 */
export interface AlterationStep {
  readonly statements: readonly CompiledQuery[];
  readonly onlyIfExists?: ObjectRef;
}

/** The statements of one table change, and what they do. */
export interface Alteration {
  readonly steps: AlterationStep[];
  readonly effects: SchemaEffect[];
}

export interface AlterationOptions {
  /** Values for existing rows, by new column name: new NOT NULL columns and columns becoming NOT NULL. */
  backfill: ReadonlyMap<string, unknown>;
  /** Build new indexes with CONCURRENTLY (the migration must not be atomic). */
  concurrently?: boolean;
}

/** One unconditional step per statement. */
export function steps(statements: readonly CompiledQuery[]): AlterationStep[] {
  return statements.map((statement) => ({ statements: [statement] }));
}
