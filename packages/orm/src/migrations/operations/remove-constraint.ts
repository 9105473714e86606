import type { Constraint } from '../../model/model-meta.js';
import { MigrationStateError } from '../errors.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { historicalModel } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';

export interface RemoveConstraintInput {
  readonly model: string;
  readonly name: string;
}

/** Drop a unique or check constraint by name. */
export class RemoveConstraint extends ModelOperation {
  readonly kind = 'removeConstraint' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly name: string;

  constructor(input: RemoveConstraintInput) {
    super();
    this.modelName = input.model;
    this.name = input.name;
  }

  modelChange(): ModelChange {
    return { kind: 'removeConstraint', model: this.modelName, name: this.name };
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    await editor.removeConstraint(historicalModel(from, this.appLabel, this.modelName), this.constraint(from));
  }

  async databaseBackwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    await editor.addConstraint(historicalModel(to, this.appLabel, this.modelName), this.constraint(to));
  }

  private constraint(state: ProjectState): Constraint {
    const constraint = (state.get(this.appLabel, this.modelName).options.constraints ?? []).find((candidate) => candidate.name === this.name);
    if (!constraint) throw new MigrationStateError(`${this.describe()}: ${this.appLabel}.${this.modelName} has no constraint named '${this.name}'.`);
    return constraint;
  }

  describe(): string {
    return `Remove constraint ${this.name} from model ${this.modelName}`;
  }

  nameFragment(): string {
    return `remove_${this.name.toLowerCase()}`;
  }

  toCode(): Code {
    return code.call('ops.removeConstraint', code.object({ model: code.value(this.modelName), name: code.value(this.name) }));
  }
}
