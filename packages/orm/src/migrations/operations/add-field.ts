import type { Dialect } from '../../fields/field.js';
import { snakeCase } from '../../naming.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { FieldSpec } from '../state/field-spec.js';
import type { ProjectState } from '../state/project-state.js';
import type { SpecValue } from '../state/spec-value.js';
import { code, type Code } from '../writer/code.js';
import { fieldCode } from '../writer/field-code.js';
import { columnDangers } from './column-dangers.js';
import { historicalField, historicalModel, withOneOffDefault } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';
import { Operation, sameName, type Danger } from './operation.js';

export interface AddFieldInput {
  /** Model name ('Post'). */
  readonly model: string;
  readonly name: string;
  readonly field: FieldSpec;
  /**
   * One-off value written into existing rows of a NOT NULL field without a
   * default (asked by makemigrations); not part of the field afterwards.
   */
  readonly backfill?: SpecValue;
}

/** Add a column (or a many-to-many join table) to a model. */
export class AddField extends ModelOperation {
  readonly kind = 'addField' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly name: string;
  readonly field: FieldSpec;
  readonly backfill: SpecValue | undefined;

  constructor(input: AddFieldInput) {
    super();
    this.modelName = input.model;
    this.name = input.name;
    this.field = input.field;
    this.backfill = input.backfill;
  }

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
    return code.call(
      'ops.addField',
      code.object({
        model: code.value(this.modelName),
        name: code.value(this.name),
        field: fieldCode(this.field),
        backfill: this.backfill === undefined ? undefined : code.value(this.backfill),
      }),
    );
  }

  override dangers(dialect: Dialect, fromState?: ProjectState): Danger[] {
    const table = fromState?.find(this.appLabel, this.modelName)?.table ?? `${this.appLabel}_${snakeCase(this.modelName)}`;
    return columnDangers(dialect, table, `${this.modelName}.${this.name}`, null, this.field);
  }

  protected override relatedSpecs(): readonly FieldSpec[] {
    return [this.field];
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof ModelOperation && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) {
      const change = other.modelChange();
      if (change.kind === 'removeField' && change.name === this.name) return [];
      if (change.kind === 'alterField' && change.name === this.name) {
        return [new AddField({ model: this.modelName, name: this.name, field: change.field, ...backfillOf(this) }).bind(this.appLabel)];
      }
      if (change.kind === 'renameField' && change.oldName === this.name) {
        return [new AddField({ model: this.modelName, name: change.newName, field: this.field, ...backfillOf(this) }).bind(this.appLabel)];
      }
    }
    return super.reduce(other);
  }
}

function backfillOf(operation: AddField): { backfill?: SpecValue } {
  return operation.backfill === undefined ? {} : { backfill: operation.backfill };
}
