import type { Dialect } from '../../fields/field.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { historicalModel } from './historical.js';
import { Operation, sameName, type Danger } from './operation.js';

export interface DeleteModelInput {
  readonly name: string;
}

/** Drop a model's table (and its many-to-many join tables). Reversing recreates them empty. */
export class DeleteModel extends Operation {
  readonly kind = 'deleteModel' as const;
  readonly reversible = true;
  readonly name: string;

  constructor(input: DeleteModelInput) {
    super();
    this.name = input.name;
  }

  stateForwards(state: ProjectState): void {
    state.remove(this.appLabel, this.name);
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    await editor.deleteModel(historicalModel(from, this.appLabel, this.name));
  }

  async databaseBackwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    await editor.createModel(historicalModel(to, this.appLabel, this.name));
  }

  describe(): string {
    return `Delete model ${this.name}`;
  }

  nameFragment(): string {
    return `delete_${this.name.toLowerCase()}`;
  }

  toCode(): Code {
    return code.call('ops.deleteModel', code.object({ name: code.value(this.name) }));
  }

  override dangers(_dialect: Dialect, fromState?: ProjectState): Danger[] {
    const table = fromState?.find(this.appLabel, this.name)?.table ?? `${this.appLabel}_${this.name.toLowerCase()}`;
    return [
      {
        kind: 'dataLoss',
        dataLoss: true,
        table,
        message: `Deleting model ${this.appLabel}.${this.name} drops table ${table} with all its rows (unapplying recreates it empty).`,
        alternative: 'Deploy code that no longer uses the model first, and back the table up (or copy its rows elsewhere with RunSQL/RunCode) before dropping it.',
      },
    ];
  }

  touchedModels(): Array<readonly [string, string]> {
    return [[this.appLabel, this.name]];
  }

  override referencesModel(appLabel: string, name: string): boolean {
    return appLabel === this.appLabel && sameName(name, this.name);
  }
}
