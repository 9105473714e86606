import type { Dialect } from '../../fields/field.js';
import { InvalidMigration } from '../errors.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import type { Code } from '../writer/code.js';

/** Every operation type; `Record<OperationKind, …>` tables must handle each. */
export type OperationKind =
  | 'createModel'
  | 'deleteModel'
  | 'renameModel'
  | 'addField'
  | 'removeField'
  | 'alterField'
  | 'renameField'
  | 'addIndex'
  | 'removeIndex'
  | 'addConstraint'
  | 'removeConstraint'
  | 'alterModelOptions'
  | 'alterModelTable'
  | 'runSql'
  | 'runCode';

/** Why an operation can hurt a production database. */
export type DangerKind = 'dataLoss' | 'tableRewrite' | 'fullScanLock' | 'blockingIndex' | 'foreignKeyValidation';

/** One warning of the safety linter: what happens, and the safer way. */
export interface Danger {
  readonly kind: DangerKind;
  /** One line: what the operation does to the database. */
  readonly message: string;
  /** One line: how to do it safely. */
  readonly alternative: string;
  /** True when rows or columns are destroyed: `migrate` asks, or needs --allow-data-loss. */
  readonly dataLoss: boolean;
  /** The table concerned (the linter may look at its size). */
  readonly table: string;
}

/**
 * A step of a migration. Each operation owns both halves of a change:
 * `stateForwards` moves the in-memory ProjectState, `databaseForwards` /
 * `databaseBackwards` issue DDL through the schema editor with historical
 * models rendered from the states around it; plus `describe()` for output,
 * `toCode()` for the writer, `dangers()` for the safety linter and
 * `reduce()` for the optimizer.
 *
 * Operations are written without their app (`ops.addField({ model: 'Post', ... })`);
 * `Migration.bind(appLabel, name)` (called by the loader) binds them to
 * the app of the migration file.
 *
 * Convention (as in Django): `databaseForwards(editor, fromState, toState)`
 * gets the states before and after the operation; `databaseBackwards(editor,
 * fromState, toState)` gets `fromState` = the state after the operation (what
 * the database has now) and `toState` = the state before it.
 */
export abstract class Operation {
  abstract readonly kind: OperationKind;
  /** False when databaseBackwards cannot undo the operation. */
  abstract readonly reversible: boolean;
  /** Set by bind(); a plain property so bind() can copy the operation. */
  protected boundApp: string | null = null;

  /** The app this operation belongs to; throws when the migration was not bound. */
  get appLabel(): string {
    if (this.boundApp === null) {
      throw new InvalidMigration(
        `Operation '${this.describe()}' is not bound to an app. Migrations are bound by the loader (migration.bind(appLabel, name)); call bind() when building one by hand.`,
      );
    }
    return this.boundApp;
  }

  /** True once bound to an app. */
  get isBound(): boolean {
    return this.boundApp !== null;
  }

  /**
   * A copy of this operation bound to `appLabel`. The copy shares the
   * prototype and own properties, so operations use TypeScript `private`,
   * never `#private` members (a copy made this way has no `#` slots).
   */
  bind(appLabel: string): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    copy.boundApp = appLabel;
    return copy;
  }

  /** Apply the change to `state` (in place). */
  abstract stateForwards(state: ProjectState): void;
  /** Change the database from `fromState` to `toState`. */
  abstract databaseForwards(editor: MigrationSchemaEditor, fromState: ProjectState, toState: ProjectState): Promise<void>;
  /** Undo the change: `fromState` is the state after this operation, `toState` the state before it. */
  abstract databaseBackwards(editor: MigrationSchemaEditor, fromState: ProjectState, toState: ProjectState): Promise<void>;
  /** One line for humans: 'Add field slug to Post'. */
  abstract describe(): string;
  /** The operation as code for a migration file. */
  abstract toCode(): Code;
  /** A short snake_case fragment for migration names ('add_post_slug'), or null. */
  abstract nameFragment(): string | null;

  /**
   * Dangers of running this operation on `dialect`. `fromState` (the state
   * before the operation) lets operations compare old and new columns; without
   * it they report what may happen.
   */
  dangers(_dialect: Dialect, _fromState?: ProjectState): Danger[] {
    return [];
  }

  /** True when the operation reads or changes model `appLabel.name` (relations to it included). */
  referencesModel(_appLabel: string, _name: string): boolean {
    return true;
  }

  /**
   * Combine with a later operation of the same migration: a list of
   * operations replacing both, `true` when `other` may move across this one
   * (they touch different things), `false` otherwise.
   */
  reduce(other: Operation): Operation[] | boolean {
    return !conflicts(this, other);
  }

  /** Models this operation changes, as [appLabel, name]. */
  abstract touchedModels(): Array<readonly [string, string]>;
}

/** True when one operation references a model the other changes (their order matters). */
export function conflicts(a: Operation, b: Operation): boolean {
  return a.touchedModels().some(([app, name]) => b.referencesModel(app, name)) || b.touchedModels().some(([app, name]) => a.referencesModel(app, name));
}

/** Same model name (model names are case-insensitive in the state). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Split 'app.Model' into its parts. */
export function splitLabel(label: string): readonly [string, string] {
  const dot = label.indexOf('.');
  return [label.slice(0, dot), label.slice(dot + 1)];
}
