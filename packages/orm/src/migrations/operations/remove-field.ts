import type { Dialect } from '../../fields/field.js';
import { snakeCase } from '../../naming.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import { stateField } from '../state/model-state.js';
import type { FieldSpec } from '../state/field-spec.js';
import type { ProjectState } from '../state/project-state.js';
import type { SpecValue } from '../state/spec-value.js';
import { code, type Code } from '../writer/code.js';
import { historicalField, historicalModel, withOneOffDefault } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';
import type { Danger } from './operation.js';

export interface RemoveFieldInput {
  readonly model: string;
  readonly name: string;
}

/**
 * Drop a column (or a many-to-many join table). Reversing adds the column
 * back empty: a NOT NULL column without a default gets the type's empty
 * value ('' , 0, false...) in every row.
 */
export class RemoveField extends ModelOperation {
  readonly kind = 'removeField' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly name: string;

  constructor(input: RemoveFieldInput) {
    super();
    this.modelName = input.model;
    this.name = input.name;
  }

  modelChange(): ModelChange {
    return { kind: 'removeField', model: this.modelName, name: this.name };
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    const model = historicalModel(from, this.appLabel, this.modelName);
    await editor.removeField(model, historicalField(model, this.name));
  }

  async databaseBackwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    const spec = stateField(to.get(this.appLabel, this.modelName), this.name, this.describe());
    const empty = spec.options.null === true || spec.options.default !== undefined ? undefined : emptyValue(spec);
    if (empty !== undefined) {
      const { model, field } = withOneOffDefault(to, this.appLabel, this.modelName, this.name, empty);
      await editor.addField(model, field);
      return;
    }
    const model = historicalModel(to, this.appLabel, this.modelName);
    await editor.addField(model, historicalField(model, this.name));
  }

  describe(): string {
    return `Remove field ${this.name} from ${this.modelName}`;
  }

  nameFragment(): string {
    return `remove_${this.modelName.toLowerCase()}_${snakeCase(this.name)}`;
  }

  toCode(): Code {
    return code.call('ops.removeField', code.object({ model: code.value(this.modelName), name: code.value(this.name) }));
  }

  override dangers(_dialect: Dialect, fromState?: ProjectState): Danger[] {
    const model = fromState?.find(this.appLabel, this.modelName);
    const table = model?.table ?? `${this.appLabel}_${snakeCase(this.modelName)}`;
    const spec = model?.fields.find(([name]) => name === this.name)?.[1];
    const what = spec?.kind === 'manyToMany' ? `drops the join table of ${this.modelName}.${this.name} with all its links` : `drops column ${this.name} of ${table} with its data`;
    return [
      {
        kind: 'dataLoss',
        dataLoss: true,
        table,
        message: `Removing ${this.appLabel}.${this.modelName}.${this.name} ${what} (unapplying adds it back empty).`,
        alternative: 'Deploy code that no longer reads or writes the field first, and copy the data elsewhere (RunSQL/RunCode) if it may be needed again.',
      },
    ];
  }
}

/** A neutral value for re-adding a NOT NULL column on unapply; undefined when there is none (relations, binary). */
function emptyValue(spec: FieldSpec): SpecValue | undefined {
  switch (spec.kind) {
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'slug':
      return '';
    case 'enum':
      return spec.values?.[0];
    case 'integer':
    case 'float':
      return 0;
    case 'bigint':
      return 0n;
    case 'decimal':
      return '0';
    case 'boolean':
      return false;
    case 'date':
      return '1970-01-01';
    case 'datetime':
      return new Date(0);
    case 'time':
      return '00:00:00';
    case 'json':
      return {};
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    default:
      return undefined;
  }
}
