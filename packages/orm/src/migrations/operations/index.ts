import { AddConstraint, type AddConstraintInput } from './add-constraint.js';
import { AddField, type AddFieldInput } from './add-field.js';
import { AddIndex, type AddIndexInput } from './add-index.js';
import { AlterField, type AlterFieldInput } from './alter-field.js';
import { AlterModelOptions, type AlterModelOptionsInput } from './alter-model-options.js';
import { AlterModelTable, type AlterModelTableInput } from './alter-model-table.js';
import { CreateModel, type CreateModelInput } from './create-model.js';
import { DeleteModel, type DeleteModelInput } from './delete-model.js';
import { RemoveConstraint, type RemoveConstraintInput } from './remove-constraint.js';
import { RemoveField, type RemoveFieldInput } from './remove-field.js';
import { RemoveIndex, type RemoveIndexInput } from './remove-index.js';
import { RenameField, type RenameFieldInput } from './rename-field.js';
import { RenameModel, type RenameModelInput } from './rename-model.js';
import { RunCode, type RunCodeInput } from './run-code.js';
import { RunSql, type RunSqlInput } from './run-sql.js';

/**
 * Operation constructors for migration files.
 * @example
 * operations: [
 *   ops.addField({ model: 'Post', name: 'slug', field: f.slug(), backfill: '' }),
 *   ops.renameField({ model: 'Post', oldName: 'titel', newName: 'title' }),
 * ]
 */
export const ops = {
  createModel: (input: CreateModelInput) => new CreateModel(input),
  deleteModel: (input: DeleteModelInput) => new DeleteModel(input),
  renameModel: (input: RenameModelInput) => new RenameModel(input),
  addField: (input: AddFieldInput) => new AddField(input),
  removeField: (input: RemoveFieldInput) => new RemoveField(input),
  alterField: (input: AlterFieldInput) => new AlterField(input),
  renameField: (input: RenameFieldInput) => new RenameField(input),
  addIndex: (input: AddIndexInput) => new AddIndex(input),
  removeIndex: (input: RemoveIndexInput) => new RemoveIndex(input),
  addConstraint: (input: AddConstraintInput) => new AddConstraint(input),
  removeConstraint: (input: RemoveConstraintInput) => new RemoveConstraint(input),
  alterModelOptions: (input: AlterModelOptionsInput) => new AlterModelOptions(input),
  alterModelTable: (input: AlterModelTableInput) => new AlterModelTable(input),
  runSql: (input: RunSqlInput) => new RunSql(input),
  runCode: (input: RunCodeInput) => new RunCode(input),
  /** A RunCode step that does nothing (`backward: ops.noop`). */
  noop: RunCode.noop,
};

export {
  AddConstraint,
  AddField,
  AddIndex,
  AlterField,
  AlterModelOptions,
  AlterModelTable,
  CreateModel,
  DeleteModel,
  RemoveConstraint,
  RemoveField,
  RemoveIndex,
  RenameField,
  RenameModel,
  RunCode,
  RunSql,
};
export type {
  AddConstraintInput,
  AddFieldInput,
  AddIndexInput,
  AlterFieldInput,
  AlterModelOptionsInput,
  AlterModelTableInput,
  CreateModelInput,
  DeleteModelInput,
  RemoveConstraintInput,
  RemoveFieldInput,
  RemoveIndexInput,
  RenameFieldInput,
  RenameModelInput,
  RunCodeInput,
  RunSqlInput,
};
export type { SqlText } from './run-sql.js';
export type { MigrationCode } from './run-code.js';
export { Operation, type OperationKind, type Danger, type DangerKind } from './operation.js';
