import type { FieldSpec } from '../state/field-spec.js';
import { replaceModelState } from '../state/model-state.js';
import type { ProjectState } from '../state/project-state.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import { code, type Code } from '../writer/code.js';
import { historicalModel, syncAutoJoins } from './historical.js';
import { applyToModel } from './model-change.js';
import { Operation, sameName, splitLabel } from './operation.js';

export interface RenameModelInput {
  readonly oldName: string;
  readonly newName: string;
}

/**
 * Rename a model: its table too when the table name was derived from the
 * model name, its auto-created join tables and their key columns, and every
 * relation in the state that points at it.
 */
export class RenameModel extends Operation {
  readonly kind = 'renameModel' as const;
  readonly reversible = true;
  readonly oldName: string;
  readonly newName: string;

  constructor(input: RenameModelInput) {
    super();
    this.oldName = input.oldName;
    this.newName = input.newName;
  }

  stateForwards(state: ProjectState): void {
    const current = state.get(this.appLabel, this.oldName, this.describe());
    const renamed = applyToModel(current, { kind: 'renameModel', model: this.oldName, newName: this.newName }, this.appLabel);
    state.replace(this.appLabel, this.oldName, replaceModelState(current, renamed));
    const newLabel = `${this.appLabel}.${this.newName}`;
    for (const model of state.modelsOf()) {
      let changed = false;
      const fields = model.fields.map(([name, spec]) => {
        const next = retarget(spec, this.appLabel, this.oldName, newLabel);
        if (next !== spec) changed = true;
        return [name, next] as const;
      });
      if (changed) state.replace(model.appLabel, model.name, replaceModelState(model, { fields }));
    }
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    await this.rename(editor, from, this.oldName, to, this.newName);
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    await this.rename(editor, from, this.newName, to, this.oldName);
  }

  private async rename(editor: MigrationSchemaEditor, before: ProjectState, beforeName: string, after: ProjectState, afterName: string): Promise<void> {
    const oldModel = historicalModel(before, this.appLabel, beforeName);
    const newModel = historicalModel(after, this.appLabel, afterName);
    if (oldModel.meta.table !== newModel.meta.table) await editor.alterTable(newModel, oldModel.meta.table, newModel.meta.table);
    await syncAutoJoins(editor, before, after, (app, model, field) => (app === this.appLabel && sameName(model, afterName) ? [app, beforeName, field] : [app, model, field]));
  }

  describe(): string {
    return `Rename model ${this.oldName} to ${this.newName}`;
  }

  nameFragment(): string {
    return `rename_${this.oldName.toLowerCase()}_${this.newName.toLowerCase()}`;
  }

  toCode(): Code {
    return code.call('ops.renameModel', code.object({ oldName: code.value(this.oldName), newName: code.value(this.newName) }));
  }

  touchedModels(): Array<readonly [string, string]> {
    return [
      [this.appLabel, this.oldName],
      [this.appLabel, this.newName],
    ];
  }

  override referencesModel(appLabel: string, name: string): boolean {
    return appLabel === this.appLabel && (sameName(name, this.oldName) || sameName(name, this.newName));
  }

  override reduce(other: Operation): Operation[] | boolean {
    // Post -> Article then Article -> Story is Post -> Story.
    if (other instanceof RenameModel && other.appLabel === this.appLabel && sameName(other.oldName, this.newName)) {
      return sameName(this.oldName, other.newName) ? [] : [new RenameModel({ oldName: this.oldName, newName: other.newName }).bind(this.appLabel)];
    }
    return super.reduce(other);
  }
}

/** The spec with relation labels naming `appLabel.oldName` changed to `newLabel` (the same object when unchanged). */
function retarget(spec: FieldSpec, appLabel: string, oldName: string, newLabel: string): FieldSpec {
  const points = (label: string | undefined): boolean => {
    if (label === undefined) return false;
    const [app, model] = splitLabel(label);
    return app === appLabel && sameName(model, oldName);
  };
  if (!points(spec.target) && !points(spec.through)) return spec;
  return { ...spec, ...(points(spec.target) ? { target: newLabel } : {}), ...(points(spec.through) ? { through: newLabel } : {}) };
}
