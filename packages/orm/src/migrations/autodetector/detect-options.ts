import type { Constraint, IndexDefinition } from '../../model/model-meta.js';
import { AddConstraint } from '../operations/add-constraint.js';
import { AddIndex } from '../operations/add-index.js';
import { AlterModelOptions } from '../operations/alter-model-options.js';
import { AlterModelTable } from '../operations/alter-model-table.js';
import { alterableOptions } from '../operations/model-change.js';
import { RemoveConstraint } from '../operations/remove-constraint.js';
import { RemoveIndex } from '../operations/remove-index.js';
import { valuesEqual } from '../state/spec-value.js';
import type { Dependency } from './dependency.js';
import { constraintFields, Stage, type Detection } from './detection.js';

/**
 * Indexes and constraints of surviving models, compared by name: a changed
 * definition under the same name is a remove and an add.
 */
export function detectIndexesAndConstraints(detection: Detection): void {
  for (const [before, after] of detection.commonModels()) {
    const app = after.appLabel;
    const model = after.name;
    const fieldDependencies = (names: readonly string[]): Dependency[] =>
      names.map((field): Dependency => ({ kind: 'field', app, model: model.toLowerCase(), field }));
    const removedAfter = (name: string): Dependency => ({ kind: 'indexRemoved', app, model: model.toLowerCase(), name });
    const indexes = diffNamed<IndexDefinition>(before.options.indexes ?? [], after.options.indexes ?? []);
    for (const index of indexes.removed) detection.add(Stage.removeIndex, new RemoveIndex({ model, name: index.name }).bind(app));
    for (const index of indexes.added) {
      const replaced = indexes.removed.some((old) => old.name === index.name);
      detection.add(Stage.addIndex, new AddIndex({ model, index }).bind(app), [...fieldDependencies(index.fields), ...(replaced ? [removedAfter(index.name)] : [])]);
    }
    const constraints = diffNamed<Constraint>(before.options.constraints ?? [], after.options.constraints ?? []);
    for (const constraint of constraints.removed) detection.add(Stage.removeIndex, new RemoveConstraint({ model, name: constraint.name }).bind(app));
    for (const constraint of constraints.added) {
      const replaced = constraints.removed.some((old) => old.name === constraint.name);
      detection.add(Stage.addIndex, new AddConstraint({ model, constraint }).bind(app), [
        ...fieldDependencies(constraintFields(constraint)),
        ...(replaced ? [removedAfter(constraint.name)] : []),
      ]);
    }
  }
}

/** Explicit table names and state-only options (ordering, verbose names, database). */
export function detectModelOptions(detection: Detection): void {
  for (const [before, after] of detection.commonModels()) {
    if (before.options.table !== after.options.table) {
      detection.add(Stage.alterTable, new AlterModelTable({ name: after.name, table: after.options.table ?? null }).bind(after.appLabel));
    }
    const options = alterableOptions(after.options);
    if (!valuesEqual(alterableOptions(before.options), options)) {
      detection.add(Stage.alterOptions, new AlterModelOptions({ name: after.name, options }).bind(after.appLabel));
    }
  }
}

function diffNamed<T extends { readonly name: string }>(before: readonly T[], after: readonly T[]): { removed: T[]; added: T[] } {
  const removed = before.filter((old) => !after.some((item) => item.name === old.name && valuesEqual(item, old)));
  const added = after.filter((item) => !before.some((old) => old.name === item.name && valuesEqual(item, old)));
  return { removed, added };
}
