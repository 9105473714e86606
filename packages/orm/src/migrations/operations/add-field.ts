import type { Dialect } from '../../fields/field.js';
import { snakeCase } from '../../naming.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import type { Code } from '../writer/code.js';
import { columnDangers } from './column-dangers.js';
import { historicalField, historicalModel, withOneOffDefault } from './historical.js';
import type { ModelChange } from './model-change.js';
import { FieldOperation, type FieldOperationInput } from './field-operation.js';
import { ModelOperation } from './model-operation.js';
import { Operation, sameName, type Danger } from './operation.js';

/** AddField's input: the field, and a one-off `backfill` for existing rows of a NOT NULL field without a default. */
export type AddFieldInput = FieldOperationInput;

/** Add a column (or a many-to-many join table) to a model. */
export class AddField extends FieldOperation {
  readonly kind = 'addField' as const;
  readonly reversible = true;

  modelChange(): ModelChange {
    return { kind: 'addField', model: this.modelName, name: this.name, field: this.field };
  }

  async databaseForwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    if (this.backfill !== undefined) {
      const { model, field } = withOneOffDefault(to, this.appLabel, this.modelName, this.name, this.backfill);
      await editor.addField(model, field);
      return;
    }
    const model = historicalModel(to, this.appLabel, this.modelName);
    await editor.addField(model, historicalField(model, this.name));
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    const model = historicalModel(from, this.appLabel, this.modelName);
    await editor.removeField(model, historicalField(model, this.name));
  }

  describe(): string {
    return `Add field ${this.name} to ${this.modelName}`;
  }

  nameFragment(): string {
    return `add_${this.modelName.toLowerCase()}_${snakeCase(this.name)}`;
  }

  toCode(): Code {
    return this.callCode('ops.addField');
  }

  override dangers(dialect: Dialect, fromState?: ProjectState): Danger[] {
    const table = fromState?.find(this.appLabel, this.modelName)?.table ?? `${this.appLabel}_${snakeCase(this.modelName)}`;
    return columnDangers(dialect, table, `${this.modelName}.${this.name}`, null, this.field);
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof ModelOperation && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) {
      const change = other.modelChange();
      if (change.kind === 'removeField' && change.name === this.name) return [];
      if (change.kind === 'alterField' && change.name === this.name) {
        return [new AddField(this.inputWith({ field: change.field })).bind(this.appLabel)];
      }
      if (change.kind === 'renameField' && change.oldName === this.name) {
        return [new AddField(this.inputWith({ name: change.newName })).bind(this.appLabel)];
      }
    }
    return super.reduce(other);
  }
}
