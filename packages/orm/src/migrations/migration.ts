import { InvalidMigration } from './errors.js';
import type { Operation } from './operations/operation.js';
import type { ProjectState } from './state/project-state.js';

/** `[appLabel, migrationName]`, e.g. `['auth', '0001_initial']`. */
export type MigrationDependency = readonly [string, string];

export interface MigrationInput {
  /** Migrations that must be applied first: the app's previous one, and other apps' for relations. */
  readonly dependencies?: readonly MigrationDependency[];
  readonly operations: readonly Operation[];
  /** The app's first migration (written by makemigrations). */
  readonly initial?: boolean;
  /**
   * Run the migration in one transaction (default true). False is for
   * statements PostgreSQL refuses inside one (CREATE INDEX CONCURRENTLY).
   */
  readonly atomic?: boolean;
}

/**
 * A migration: what a file in `APP/migrations/` default-exports. The loader
 * binds it to its app and file name (`bind()`), which binds its operations.
 * @example
 * export default migration({
 *   dependencies: [['blog', '0001_initial']],
 *   operations: [ops.addField({ model: 'Post', name: 'slug', field: f.slug(), backfill: '' })],
 * });
 */
export class Migration {
  /** The app label; '' until bound. */
  readonly appLabel: string;
  /** The file name without extension ('0002_add_post_slug'); '' until bound. */
  readonly name: string;
  readonly dependencies: readonly MigrationDependency[];
  readonly operations: readonly Operation[];
  readonly initial: boolean;
  readonly atomic: boolean;

  constructor(input: MigrationInput, appLabel = '', name = '') {
    this.appLabel = appLabel;
    this.name = name;
    this.dependencies = input.dependencies ?? [];
    this.operations = input.operations;
    this.initial = input.initial ?? false;
    this.atomic = input.atomic ?? true;
  }

  /** 'blog.0002_add_post_slug'. */
  get key(): string {
    return `${this.appLabel}.${this.name}`;
  }

  /** This migration (and its operations) bound to an app and a name. */
  bind(appLabel: string, name: string): Migration {
    return new Migration(
      { dependencies: this.dependencies, operations: this.operations.map((operation) => operation.bind(appLabel)), initial: this.initial, atomic: this.atomic },
      appLabel,
      name,
    );
  }

  /** Apply every operation's state change to `state`, in place. */
  applyState(state: ProjectState): void {
    for (const operation of this.operations) operation.stateForwards(state);
  }

  toString(): string {
    return this.key;
  }
}

/**
 * Declare a migration (the default export of a migration file); checks its shape.
 * @example
 * export default migration({ dependencies: [], operations: [ops.createModel({ name: 'Tag', fields: [['id', f.auto()]] })] });
 */
export function migration(input: MigrationInput): Migration {
  if (typeof input !== 'object' || input === null || !Array.isArray(input.operations)) {
    throw new InvalidMigration('migration() needs { operations: [...] } (and usually dependencies).');
  }
  input.operations.forEach((operation, index) => {
    // Duck-typed: a migration file may load the package through another path than the loader.
    if (typeof operation !== 'object' || operation === null || typeof (operation as Operation).stateForwards !== 'function' || typeof (operation as Operation).bind !== 'function') {
      throw new InvalidMigration(`Operation #${index + 1} of the migration is not an operation; build operations with ops.createModel(...), ops.addField(...), etc.`);
    }
  });
  for (const dependency of input.dependencies ?? []) {
    if (!Array.isArray(dependency) || dependency.length !== 2 || dependency.some((part) => typeof part !== 'string' || part === '')) {
      throw new InvalidMigration(`Migration dependency ${JSON.stringify(dependency)} must be ['app', 'migration_name'].`);
    }
  }
  return new Migration(input);
}
