import type { IndexDefinition } from '../../model/model-meta.js';
import { MigrationStateError } from '../errors.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { historicalModel } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';

export interface RemoveIndexInput {
  readonly model: string;
  readonly name: string;
}

/** Drop an index by name. */
export class RemoveIndex extends ModelOperation {
  readonly kind = 'removeIndex' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly name: string;

  constructor(input: RemoveIndexInput) {
    super();
    this.modelName = input.model;
    this.name = input.name;
  }

  modelChange(): ModelChange {
    return { kind: 'removeIndex', model: this.modelName, name: this.name };
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    await editor.removeIndex(historicalModel(from, this.appLabel, this.modelName), this.index(from));
  }

  async databaseBackwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    await editor.addIndex(historicalModel(to, this.appLabel, this.modelName), this.index(to));
  }

  private index(state: ProjectState): IndexDefinition {
    const index = (state.get(this.appLabel, this.modelName).options.indexes ?? []).find((candidate) => candidate.name === this.name);
    if (!index) throw new MigrationStateError(`${this.describe()}: ${this.appLabel}.${this.modelName} has no index named '${this.name}'.`);
    return index;
  }

  describe(): string {
    return `Remove index ${this.name} from ${this.modelName}`;
  }

  nameFragment(): string {
    return `remove_${this.name.toLowerCase()}`;
  }

  toCode(): Code {
    return code.call('ops.removeIndex', code.object({ model: code.value(this.modelName), name: code.value(this.name) }));
  }
}
