import { AtriumError } from '@atrium/core';

/**
 * Errors of the migrations framework, each with a stable code. Messages name
 * the migration, operation, model or field involved and say how to fix it.
 */

/** An operation refers to a model or field the migration state does not have (a broken or hand-edited migration). */
export class MigrationStateError extends AtriumError {
  constructor(message: string) {
    super('E_MIGRATION_STATE', message);
  }
}

/** A migration file or operation is malformed (bad options, an operation not bound to an app). */
export class InvalidMigration extends AtriumError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_MIGRATION_INVALID', message, options);
  }
}

/** An operation cannot be unapplied (RunCode without `backward`, RunSQL without `reverseSql`). */
export class IrreversibleOperation extends AtriumError {
  constructor(message: string) {
    super('E_MIGRATION_IRREVERSIBLE', message);
  }
}

/**
 * makemigrations needs an answer it cannot get: a non-interactive run (CI,
 * `--noinput`) met a question such as a one-off default, or the user chose
 * to quit. `exitCode` is what the command returns.
 */
export class MigrationQuestionUnanswered extends AtriumError {
  readonly exitCode: number;
  constructor(message: string, exitCode = 3) {
    super('E_MIGRATION_ANSWER_NEEDED', message);
    this.exitCode = exitCode;
  }
}

/** The models cannot be turned into migrations as declared (e.g. a relation to a model no migration creates). */
export class AutodetectorError extends AtriumError {
  constructor(message: string) {
    super('E_MIGRATION_AUTODETECT', message);
  }
}

/** makemigrations was called wrongly (an unknown app, a bad --name, a file in the way). Exit code 2. */
export class MigrationUsageError extends AtriumError {
  readonly exitCode = 2;
  constructor(message: string) {
    super('E_MIGRATION_USAGE', message);
  }
}
