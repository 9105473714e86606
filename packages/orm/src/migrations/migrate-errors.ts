import { AtriumError } from '@atrium/core';

/**
 * Errors of loading, planning and applying migrations (the graph, the
 * loader, the executor, the lock), each with a stable code; messages name the
 * migration and say how to fix it. Exit codes are what `manage migrate`
 * returns for them.
 */

/** A migration depends on one that does not exist. */
export class MigrationNodeNotFound extends AtriumError {
  readonly exitCode = 1;
  constructor(message: string) {
    super('E_MIGRATION_NOT_FOUND', message);
  }
}

/** Migrations depend on each other in a circle. */
export class CircularMigrationDependency extends AtriumError {
  readonly exitCode = 1;
  /** The circle, each depending on the next, first node repeated at the end: ['blog.0002_x', 'auth.0001_initial', 'blog.0002_x']. */
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[]) {
    super(
      'E_MIGRATION_CYCLE',
      `Circular dependency between migrations: ${cycle.join(' -> ')} (each depends on the next). Remove one of these dependencies (a foreign key between apps that point at each other belongs in a separate, later migration of one app).`,
    );
    this.cycle = cycle;
  }
}

/** An app has two (or more) latest migrations: two branches were made in parallel. */
export class ConflictingMigrations extends AtriumError {
  readonly exitCode = 1;
  /** App label -> its leaf migration names. */
  readonly conflicts: Readonly<Record<string, readonly string[]>>;
  constructor(conflicts: Readonly<Record<string, readonly string[]>>) {
    const list = Object.entries(conflicts)
      .map(([app, names]) => `${names.join(', ')} in ${app}`)
      .join('; ');
    super(
      'E_MIGRATION_CONFLICT',
      `Conflicting migrations detected; multiple leaf nodes in the migration graph: (${list}). To fix them run 'manage makemigrations --merge', or make one of them depend on the other.`,
    );
    this.conflicts = conflicts;
  }
}

/** The recorded history is impossible: a migration is applied but one it depends on is not. */
export class InconsistentMigrationHistory extends AtriumError {
  readonly exitCode = 1;
  constructor(message: string) {
    super('E_MIGRATION_HISTORY', message);
  }
}

/** `migrate APP TARGET`: the app or the target name is unknown or ambiguous. */
export class MigrationTargetError extends AtriumError {
  readonly exitCode = 2;
  constructor(message: string) {
    super('E_MIGRATION_TARGET', message);
  }
}

/** A migration failed to apply or unapply; the database is as it was before it (for atomic migrations). */
export class MigrationFailed extends AtriumError {
  readonly exitCode = 1;
  /** 'blog.0002_add_slug'. */
  readonly migration: string;
  /** 1-based position of the failing operation, or null (recording it failed). */
  readonly operationIndex: number | null;
  /** `describe()` of the failing operation. */
  readonly operation: string | null;
  constructor(message: string, details: { migration: string; operationIndex: number | null; operation: string | null; cause: unknown }) {
    super('E_MIGRATION_FAILED', message, { cause: details.cause });
    this.migration = details.migration;
    this.operationIndex = details.operationIndex;
    this.operation = details.operation;
  }
}

/** Another `migrate` holds the migration lock of this database for longer than the lock timeout. */
export class MigrationLockTimeout extends AtriumError {
  readonly exitCode = 1;
  constructor(message: string) {
    super('E_MIGRATION_LOCKED', message);
  }
}

/** The plan destroys data and nobody agreed (no --allow-data-loss, no terminal to ask on, or the answer was no). */
export class DataLossRefused extends AtriumError {
  readonly exitCode = 3;
  constructor(message: string) {
    super('E_MIGRATION_DATA_LOSS', message);
  }
}
