import type { FieldSpec } from '../state/field-spec.js';
import { modelState, type ModelStateOptions } from '../state/model-state.js';
import { ProjectState } from '../state/project-state.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import { code, type Code } from '../writer/code.js';
import { fieldCode } from '../writer/field-code.js';
import { optionsCode } from '../writer/options-code.js';
import { historicalModel } from './historical.js';
import { applyToModel } from './model-change.js';
import { ModelOperation, specReferences } from './model-operation.js';
import { Operation, sameName } from './operation.js';
import { DeleteModel } from './delete-model.js';
import { RenameModel } from './rename-model.js';

export interface CreateModelInput {
  /** Model name without the app ('Post'). */
  readonly name: string;
  /** Fields in order, the primary key included: `[['id', f.auto()], ['title', f.string({ maxLength: 200 })]]`. */
  readonly fields: ReadonlyArray<readonly [string, FieldSpec]>;
  readonly options?: ModelStateOptions;
}

/** Create a model's table (with its indexes, constraints and many-to-many join tables). */
export class CreateModel extends Operation {
  readonly kind = 'createModel' as const;
  readonly reversible = true;
  readonly name: string;
  readonly fields: ReadonlyArray<readonly [string, FieldSpec]>;
  readonly options: ModelStateOptions;

  constructor(input: CreateModelInput) {
    super();
    this.name = input.name;
    this.fields = input.fields;
    this.options = input.options ?? {};
  }

  stateForwards(state: ProjectState): void {
    state.add(modelState({ appLabel: this.appLabel, name: this.name, fields: this.fields, options: this.options }));
  }

  async databaseForwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    await editor.createModel(historicalModel(to, this.appLabel, this.name));
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    await editor.deleteModel(historicalModel(from, this.appLabel, this.name));
  }

  describe(): string {
    return `Create model ${this.name}`;
  }

  nameFragment(): string {
    return this.name.toLowerCase();
  }

  toCode(): Code {
    return code.call(
      'ops.createModel',
      code.object({
        name: code.value(this.name),
        fields: code.array(this.fields.map(([name, spec]) => code.array([code.value(name), fieldCode(spec)])), { multiline: true }),
        options: optionsCode(this.options),
      }),
    );
  }

  touchedModels(): Array<readonly [string, string]> {
    return [[this.appLabel, this.name]];
  }

  override referencesModel(appLabel: string, name: string): boolean {
    if (appLabel === this.appLabel && sameName(name, this.name)) return true;
    return this.fields.some(([, spec]) => specReferences(spec, appLabel, name));
  }

  /**
   * Fold later changes of this model into the CreateModel (add a field,
   * rename it, add an index...), and cancel out against its DeleteModel.
   */
  override reduce(other: Operation): Operation[] | boolean {
    if (other.appLabel === this.appLabel) {
      if (other instanceof DeleteModel && sameName(other.name, this.name)) return [];
      if (other instanceof RenameModel && sameName(other.oldName, this.name)) {
        // Replay both on an empty state, so relations of the model to itself follow the rename.
        const probe = new ProjectState();
        this.stateForwards(probe);
        other.stateForwards(probe);
        const model = probe.get(this.appLabel, other.newName);
        return [new CreateModel({ name: other.newName, fields: model.fields, options: this.options }).bind(this.appLabel)];
      }
      if (other instanceof ModelOperation && sameName(other.modelName, this.name)) {
        const next = applyToModel({ name: this.name, fields: this.fields, options: this.options }, other.modelChange(), this.appLabel);
        return [new CreateModel(next).bind(this.appLabel)];
      }
    }
    return super.reduce(other);
  }
}
