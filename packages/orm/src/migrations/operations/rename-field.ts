import { snakeCase } from '../../naming.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { historicalField, historicalModel } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';
import { sameName, type Operation } from './operation.js';
import { RemoveField } from './remove-field.js';

export interface RenameFieldInput {
  readonly model: string;
  readonly oldName: string;
  readonly newName: string;
}

/**
 * Rename a field, keeping its data: the column is renamed when its name
 * was derived from the field name (and a many-to-many field's join table).
 */
export class RenameField extends ModelOperation {
  readonly kind = 'renameField' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly oldName: string;
  readonly newName: string;

  constructor(input: RenameFieldInput) {
    super();
    this.modelName = input.model;
    this.oldName = input.oldName;
    this.newName = input.newName;
  }

  modelChange(): ModelChange {
    return { kind: 'renameField', model: this.modelName, oldName: this.oldName, newName: this.newName };
  }

  async databaseForwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    await this.rename(editor, from, this.oldName, to, this.newName);
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState, to: ProjectState): Promise<void> {
    await this.rename(editor, from, this.newName, to, this.oldName);
  }

  private async rename(editor: MigrationSchemaEditor, before: ProjectState, beforeName: string, after: ProjectState, afterName: string): Promise<void> {
    const model = historicalModel(after, this.appLabel, this.modelName);
    const oldField = historicalField(historicalModel(before, this.appLabel, this.modelName), beforeName);
    const newField = historicalField(model, afterName);
    await editor.renameField(model, oldField, newField);
  }

  describe(): string {
    return `Rename field ${this.oldName} on ${this.modelName} to ${this.newName}`;
  }

  nameFragment(): string {
    return `rename_${this.modelName.toLowerCase()}_${snakeCase(this.oldName)}_${snakeCase(this.newName)}`;
  }

  toCode(): Code {
    return code.call(
      'ops.renameField',
      code.object({ model: code.value(this.modelName), oldName: code.value(this.oldName), newName: code.value(this.newName) }),
    );
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof ModelOperation && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) {
      const change = other.modelChange();
      if (change.kind === 'renameField' && change.oldName === this.newName) {
        if (change.newName === this.oldName) return [];
        return [new RenameField({ model: this.modelName, oldName: this.oldName, newName: change.newName }).bind(this.appLabel)];
      }
      if (change.kind === 'removeField' && change.name === this.newName) {
        return [new RemoveField({ model: this.modelName, name: this.oldName }).bind(this.appLabel)];
      }
    }
    return super.reduce(other);
  }
}
