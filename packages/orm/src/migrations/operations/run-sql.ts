import type { Dialect } from '../../fields/field.js';
import { InvalidMigration, IrreversibleOperation } from '../errors.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { Operation } from './operation.js';

/** One statement, several, or per dialect (`{ sqlite: ..., postgres: ... }`; `[]` does nothing on that dialect). */
export type SqlText = string | readonly string[] | { readonly sqlite?: string | readonly string[]; readonly postgres?: string | readonly string[] };

export interface RunSqlInput {
  /** Each string is one statement. */
  readonly sql: SqlText;
  /** What undoes it; without it the migration cannot be unapplied (`[]` makes undoing a no-op). */
  readonly reverseSql?: SqlText;
  /**
   * Operations whose state half this SQL performs (e.g. an AddIndex done with
   * CREATE INDEX CONCURRENTLY), so later autodetection knows about it.
   */
  readonly stateOperations?: readonly Operation[];
  /** Shown by migrate --plan and sqlmigrate instead of the first statement. */
  readonly description?: string;
}

/** Raw SQL, for what operations do not cover. Nothing is moved across it by the optimizer. */
export class RunSql extends Operation {
  readonly kind = 'runSql' as const;
  readonly sql: SqlText;
  readonly reverseSql: SqlText | undefined;
  readonly stateOperations: readonly Operation[];
  readonly description: string | undefined;

  constructor(input: RunSqlInput) {
    super();
    this.sql = input.sql;
    this.reverseSql = input.reverseSql;
    this.stateOperations = input.stateOperations ?? [];
    this.description = input.description;
  }

  get reversible(): boolean {
    return this.reverseSql !== undefined;
  }

  override bind(appLabel: string): this {
    const copy = super.bind(appLabel);
    (copy as { stateOperations: readonly Operation[] }).stateOperations = this.stateOperations.map((operation) => operation.bind(appLabel));
    return copy;
  }

  stateForwards(state: ProjectState): void {
    for (const operation of this.stateOperations) operation.stateForwards(state);
  }

  async databaseForwards(editor: MigrationSchemaEditor): Promise<void> {
    for (const statement of statements(this.sql, editor.dialect, 'sql')) await editor.executeSql(statement);
  }

  async databaseBackwards(editor: MigrationSchemaEditor): Promise<void> {
    if (this.reverseSql === undefined) {
      throw new IrreversibleOperation(`${this.describe()} in app ${this.appLabel} has no reverseSql, so it cannot be unapplied. Add reverseSql (or reverseSql: [] when nothing needs undoing).`);
    }
    for (const statement of statements(this.reverseSql, editor.dialect, 'reverseSql')) await editor.executeSql(statement);
  }

  describe(): string {
    if (this.description) return `Raw SQL: ${this.description}`;
    const first = typeof this.sql === 'string' ? this.sql : Array.isArray(this.sql) ? (this.sql as readonly string[])[0] : undefined;
    const text = (first ?? 'per-dialect statements').replace(/\s+/g, ' ').trim();
    return `Raw SQL: ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
  }

  nameFragment(): null {
    return null;
  }

  toCode(): Code {
    return code.call(
      'ops.runSql',
      code.object({
        sql: code.value(this.sql),
        reverseSql: this.reverseSql === undefined ? undefined : code.value(this.reverseSql),
        stateOperations: this.stateOperations.length === 0 ? undefined : code.array(this.stateOperations.map((operation) => operation.toCode())),
        description: this.description === undefined ? undefined : code.value(this.description),
      }),
    );
  }

  touchedModels(): Array<readonly [string, string]> {
    return this.stateOperations.flatMap((operation) => operation.touchedModels());
  }

  /** Raw SQL may touch anything. */
  override referencesModel(): boolean {
    return true;
  }

  override reduce(): boolean {
    return false;
  }

  override dangers(dialect: Dialect, fromState?: ProjectState): ReturnType<Operation['dangers']> {
    return this.stateOperations.flatMap((operation) => operation.dangers(dialect, fromState)).filter((danger) => danger.dataLoss);
  }
}

function statements(text: SqlText, dialect: Dialect, what: string): readonly string[] {
  if (typeof text === 'string') return [text];
  if (Array.isArray(text)) return text as readonly string[];
  const perDialect = (text as { sqlite?: string | readonly string[]; postgres?: string | readonly string[] })[dialect];
  if (perDialect === undefined) {
    throw new InvalidMigration(`RunSQL's ${what} has no statements for ${dialect}; add a '${dialect}' entry (an empty array when nothing is needed there).`);
  }
  return typeof perDialect === 'string' ? [perDialect] : perDialect;
}
