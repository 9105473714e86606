import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import { code, type Code } from '../writer/code.js';
import { optionsCode } from '../writer/options-code.js';
import type { AlterableOptions, ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';
import { sameName, type Operation } from './operation.js';

export interface AlterModelOptionsInput {
  readonly name: string;
  /** The new ordering / verbose names / database alias; options left out are unset. */
  readonly options: AlterableOptions;
}

/** Change options that live only in the state (ordering, verbose names): no SQL. */
export class AlterModelOptions extends ModelOperation {
  readonly kind = 'alterModelOptions' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly options: AlterableOptions;

  constructor(input: AlterModelOptionsInput) {
    super();
    this.modelName = input.name;
    this.options = input.options;
  }

  modelChange(): ModelChange {
    return { kind: 'alterOptions', model: this.modelName, options: this.options };
  }

  async databaseForwards(_editor: MigrationSchemaEditor): Promise<void> {}

  async databaseBackwards(_editor: MigrationSchemaEditor): Promise<void> {}

  describe(): string {
    return `Change options of ${this.modelName}`;
  }

  nameFragment(): string {
    return `alter_${this.modelName.toLowerCase()}_options`;
  }

  toCode(): Code {
    return code.call('ops.alterModelOptions', code.object({ name: code.value(this.modelName), options: optionsCode(this.options) ?? code.object({}) }));
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof AlterModelOptions && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) return [other];
    return super.reduce(other);
  }
}
