import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { historicalModel, syncAutoJoins } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';
import { sameName, type Operation } from './operation.js';

export interface AlterModelTableInput {
  readonly name: string;
  /** The new table name, or null for the default `<app>_<model>`. */
  readonly table: string | null;
}

/** Rename a model's table (and the auto-created join tables named after it). */
export class AlterModelTable extends ModelOperation {
  readonly kind = 'alterModelTable' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly table: string | null;

  constructor(input: AlterModelTableInput) {
    super();
    this.modelName = input.name;
    this.table = input.table;
  }

  modelChange(): ModelChange {
    return { kind: 'alterTable', model: this.modelName, table: this.table };
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    await this.rename(editor, from, to);
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    await this.rename(editor, from, to);
  }

  private async rename(editor: MigrationSchemaEditor, before: ProjectState, after: ProjectState): Promise<void> {
    const oldTable = before.get(this.appLabel, this.modelName).table;
    const model = historicalModel(after, this.appLabel, this.modelName);
    if (oldTable !== model.meta.table) await editor.alterTable(model, oldTable, model.meta.table);
    await syncAutoJoins(editor, before, after, (app, name, field) => [app, name, field]);
  }

  describe(): string {
    return `Rename table of ${this.modelName} to ${this.table ?? '(default)'}`;
  }

  nameFragment(): string {
    return `alter_${this.modelName.toLowerCase()}_table`;
  }

  toCode(): Code {
    return code.call('ops.alterModelTable', code.object({ name: code.value(this.modelName), table: code.value(this.table) }));
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof AlterModelTable && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) return [other];
    return super.reduce(other);
  }
}
