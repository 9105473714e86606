import type { Dialect } from '../../fields/field.js';
import type { Constraint } from '../../model/model-meta.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { historicalModel } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';
import { sameName, type Danger, type Operation } from './operation.js';

export interface AddConstraintInput {
  readonly model: string;
  /** `{ kind: 'unique', name, fields }` or `{ kind: 'check', name, condition }`. */
  readonly constraint: Constraint;
}

/** Add a unique or check constraint. */
export class AddConstraint extends ModelOperation {
  readonly kind = 'addConstraint' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly constraint: Constraint;

  constructor(input: AddConstraintInput) {
    super();
    this.modelName = input.model;
    this.constraint = input.constraint;
  }

  modelChange(): ModelChange {
    return { kind: 'addConstraint', model: this.modelName, constraint: this.constraint };
  }

  async databaseForwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    await editor.addConstraint(historicalModel(to, this.appLabel, this.modelName), this.constraint);
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    await editor.removeConstraint(historicalModel(from, this.appLabel, this.modelName), this.constraint);
  }

  describe(): string {
    return `Create constraint ${this.constraint.name} on model ${this.modelName}`;
  }

  nameFragment(): string {
    return this.constraint.name.toLowerCase();
  }

  toCode(): Code {
    return code.call('ops.addConstraint', code.object({ model: code.value(this.modelName), constraint: code.value(this.constraint) }));
  }

  override dangers(dialect: Dialect, fromState?: ProjectState): Danger[] {
    if (dialect !== 'postgres') return [];
    const table = fromState?.find(this.appLabel, this.modelName)?.table ?? this.modelName;
    const danger: Danger =
      this.constraint.kind === 'unique'
        ? {
            kind: 'blockingIndex',
            dataLoss: false,
            table,
            message: `Adding unique constraint ${this.constraint.name} builds its index while blocking writes to ${table}.`,
            alternative: 'On a large table, CREATE UNIQUE INDEX CONCURRENTLY first (ops.runSql in a migration with atomic: false), then ADD CONSTRAINT ... USING INDEX.',
          }
        : {
            kind: 'fullScanLock',
            dataLoss: false,
            table,
            message: `Adding check constraint ${this.constraint.name} validates every row of ${table} under an ACCESS EXCLUSIVE lock.`,
            alternative: 'On a large table, add it NOT VALID and VALIDATE CONSTRAINT in a later migration (ops.runSql with stateOperations).',
          };
    return [danger];
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof ModelOperation && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) {
      const change = other.modelChange();
      if (change.kind === 'removeConstraint' && change.name === this.constraint.name) return [];
    }
    return super.reduce(other);
  }
}
