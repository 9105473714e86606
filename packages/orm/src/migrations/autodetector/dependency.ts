import { AddField } from '../operations/add-field.js';
import { AlterField } from '../operations/alter-field.js';
import { CreateModel } from '../operations/create-model.js';
import { DeleteModel } from '../operations/delete-model.js';
import type { Operation } from '../operations/operation.js';
import { RemoveConstraint } from '../operations/remove-constraint.js';
import { RemoveField } from '../operations/remove-field.js';
import { RemoveIndex } from '../operations/remove-index.js';
import { RenameField } from '../operations/rename-field.js';
import { RenameModel } from '../operations/rename-model.js';

/**
 * What a generated operation needs to come after (Django's `_auto_deps`).
 * Model names are compared case-insensitively.
 */
export type Dependency =
  /** The model exists (created or renamed to that name). */
  | { readonly kind: 'model'; readonly app: string; readonly model: string }
  /** The field exists. */
  | { readonly kind: 'field'; readonly app: string; readonly model: string; readonly field: string }
  /** The field (a relation, usually) is gone or no longer points where it did. */
  | { readonly kind: 'fieldRemoved'; readonly app: string; readonly model: string; readonly field: string }
  /** The model is gone. */
  | { readonly kind: 'modelRemoved'; readonly app: string; readonly model: string }
  /** The index or constraint of that name is gone. */
  | { readonly kind: 'indexRemoved'; readonly app: string; readonly model: string; readonly name: string };

/** A generated operation with what it needs first. */
export interface PlannedOperation {
  readonly operation: Operation;
  readonly dependencies: readonly Dependency[];
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * True when `operation` satisfies `dependency`.
 * @example
 * provides(ops.createModel({ name: 'Tag', fields: [] }).bind('blog'), { kind: 'model', app: 'blog', model: 'tag' }); // true
 */
export function provides(operation: Operation, dependency: Dependency): boolean {
  if (operation.appLabel !== dependency.app) return false;
  switch (dependency.kind) {
    case 'model':
      return (operation instanceof CreateModel && same(operation.name, dependency.model)) || (operation instanceof RenameModel && same(operation.newName, dependency.model));
    case 'field':
      if (operation instanceof CreateModel) return same(operation.name, dependency.model) && operation.fields.some(([name]) => name === dependency.field);
      if (operation instanceof AddField) return same(operation.modelName, dependency.model) && operation.name === dependency.field;
      if (operation instanceof RenameField) return same(operation.modelName, dependency.model) && operation.newName === dependency.field;
      return false;
    case 'fieldRemoved':
      if (operation instanceof DeleteModel) return same(operation.name, dependency.model);
      if (operation instanceof RemoveField || operation instanceof AlterField) return same(operation.modelName, dependency.model) && operation.name === dependency.field;
      if (operation instanceof RenameField) return same(operation.modelName, dependency.model) && operation.oldName === dependency.field;
      return false;
    case 'modelRemoved':
      return (operation instanceof DeleteModel && same(operation.name, dependency.model)) || (operation instanceof RenameModel && same(operation.oldName, dependency.model));
    case 'indexRemoved':
      if (operation instanceof DeleteModel) return same(operation.name, dependency.model);
      return (operation instanceof RemoveIndex || operation instanceof RemoveConstraint) && same(operation.modelName, dependency.model) && operation.name === dependency.name;
  }
}

/**
 * Order one app's operations so each comes after the operations of the same
 * app it depends on, keeping the generated order otherwise (a stable
 * topological sort; Kahn's algorithm taking the earliest ready operation).
 */
export function sortWithinApp(planned: readonly PlannedOperation[]): PlannedOperation[] {
  const before = planned.map((item, i) =>
    new Set(
      planned
        .map((other, j) => (j !== i && item.dependencies.some((dependency) => provides(other.operation, dependency)) ? j : -1))
        .filter((j) => j >= 0),
    ),
  );
  const done = new Set<number>();
  const out: PlannedOperation[] = [];
  while (out.length < planned.length) {
    let next = planned.findIndex((_, i) => !done.has(i) && [...before[i]!].every((j) => done.has(j)));
    // A cycle inside one app cannot be ordered: keep the generated order for the rest.
    if (next === -1) next = planned.findIndex((_, i) => !done.has(i));
    done.add(next);
    out.push(planned[next]!);
  }
  return out;
}
