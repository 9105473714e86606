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
import { sameName, type Danger, type Operation } from './operation.js';

/** AlterField's input: the field as it is after the change, and a one-off `backfill` for existing NULLs when it becomes NOT NULL. */
export type AlterFieldInput = FieldOperationInput;

/** Change a field's column: type, NULL, unique, index, foreign key, column name. */
export class AlterField extends FieldOperation {
  readonly kind = 'alterField' as const;
  readonly reversible = true;

  modelChange(): ModelChange {
    return { kind: 'alterField', model: this.modelName, name: this.name, field: this.field };
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    const oldField = historicalField(historicalModel(from, this.appLabel, this.modelName), this.name);
    const { model, field } =
      this.backfill === undefined
        ? { model: historicalModel(to, this.appLabel, this.modelName), field: undefined }
        : withOneOffDefault(to, this.appLabel, this.modelName, this.name, this.backfill);
    await editor.alterField(model, oldField, field ?? historicalField(model, this.name));
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    const model = historicalModel(to, this.appLabel, this.modelName);
    const current = historicalField(historicalModel(from, this.appLabel, this.modelName), this.name);
    await editor.alterField(model, current, historicalField(model, this.name));
  }

  describe(): string {
    return `Alter field ${this.name} on ${this.modelName}`;
  }

  nameFragment(): string {
    return `alter_${this.modelName.toLowerCase()}_${snakeCase(this.name)}`;
  }

  toCode(): Code {
    return this.callCode('ops.alterField');
  }

  /** Needs `fromState` to compare with the old column; without it nothing is reported. */
  override dangers(dialect: Dialect, fromState?: ProjectState): Danger[] {
    const model = fromState?.find(this.appLabel, this.modelName);
    const before = model?.fields.find(([name]) => name === this.name)?.[1];
    if (!model || !before) return [];
    return columnDangers(dialect, model.table, `${this.modelName}.${this.name}`, before, this.field);
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof ModelOperation && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) {
      const change = other.modelChange();
      if ((change.kind === 'alterField' || change.kind === 'removeField') && change.name === this.name) return [other];
    }
    return super.reduce(other);
  }
}
