import { AddConstraint } from '../operations/add-constraint.js';
import { AddField } from '../operations/add-field.js';
import { AddIndex } from '../operations/add-index.js';
import { CreateModel } from '../operations/create-model.js';
import { DeleteModel } from '../operations/delete-model.js';
import { RemoveField } from '../operations/remove-field.js';
import { RenameModel } from '../operations/rename-model.js';
import { isRelationSpec, type FieldSpec } from '../state/field-spec.js';
import { modelKey, type ModelState } from '../state/model-state.js';
import { valuesEqual } from '../state/spec-value.js';
import type { Dependency } from './dependency.js';
import { constraintFields, relationDependencies, Stage, type Detection } from './detection.js';

/**
 * Models that disappeared while one with the same fields appeared in the
 * same app: ask whether it is a rename (Django's generate_renamed_models).
 */
export async function detectRenamedModels(detection: Detection): Promise<void> {
  const { from, to } = detection;
  const removed = () => from.modelsOf().filter((model) => !to.has(model.appLabel, model.name));
  for (const added of to.modelsOf()) {
    if (from.has(added.appLabel, added.name)) continue;
    for (const candidate of removed()) {
      if (candidate.appLabel !== added.appLabel || !sameShape(candidate, added)) continue;
      if (await detection.questioner.askRenameModel(candidate, added)) {
        detection.rename(Stage.renameModel, new RenameModel({ oldName: candidate.name, newName: added.name }).bind(added.appLabel));
        break;
      }
    }
  }
}

/** Same field names and definitions, relation targets aside (they may point at the renamed model itself). */
function sameShape(a: ModelState, b: ModelState): boolean {
  const shape = (model: ModelState) =>
    model.fields.map(([name, spec]) => [name, { ...spec, target: undefined, through: undefined }] as const).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return valuesEqual(shape(a), shape(b));
}

/**
 * Models of the migrations that the code no longer declares: DeleteModel,
 * after every relation pointing at them is gone. Relations between two
 * deleted models are removed first, so deleted models that point at each
 * other can go in any order.
 */
export function detectDeletedModels(detection: Detection): void {
  const { from, to } = detection;
  const deleted = from.modelsOf().filter((model) => !to.has(model.appLabel, model.name));
  const deletedKeys = new Set(deleted.map((model) => modelKey(model.appLabel, model.name)));
  for (const model of deleted) {
    const dependencies: Dependency[] = [];
    for (const [name, spec] of model.fields) {
      const target = spec.target?.toLowerCase();
      if (!isRelationSpec(spec) || target === undefined || target === modelKey(model.appLabel, model.name) || !deletedKeys.has(target)) continue;
      detection.add(Stage.deleteRelations, new RemoveField({ model: model.name, name }).bind(model.appLabel));
      dependencies.push({ kind: 'fieldRemoved', app: model.appLabel, model: model.name.toLowerCase(), field: name });
    }
    // Relations from other models (foreign keys, many-to-many, `through`) must be gone first.
    for (const other of from.modelsOf()) {
      if (other === model) continue;
      for (const [name, spec] of other.fields) {
        if (pointsAt(spec, model)) dependencies.push({ kind: 'fieldRemoved', app: other.appLabel, model: other.name.toLowerCase(), field: name });
      }
    }
    detection.add(Stage.deleteModel, new DeleteModel({ name: model.name }).bind(model.appLabel), dependencies);
  }
}

/**
 * Models the migrations do not have yet: CreateModel with the plain
 * fields, then each relation as an AddField and each index and constraint
 * as its own operation, every one with its dependencies. The optimizer folds
 * them back into the CreateModel unless a dependency (a cycle, another app)
 * keeps them apart.
 */
export function detectCreatedModels(detection: Detection): void {
  const { from, to } = detection;
  for (const model of to.modelsOf()) {
    if (from.has(model.appLabel, model.name)) continue;
    const app = model.appLabel;
    const own: Dependency = { kind: 'model', app, model: model.name.toLowerCase() };
    const plain = model.fields.filter(([, spec]) => !isRelationSpec(spec) || spec.options.primaryKey === true);
    const related = model.fields.filter(([, spec]) => isRelationSpec(spec) && spec.options.primaryKey !== true);
    const { indexes = [], constraints = [], ...options } = model.options;
    const createDependencies: Dependency[] = plain.flatMap(([, spec]) => relationDependencies(spec));
    // A deleted model with the same table must be dropped first.
    for (const old of from.modelsOf()) {
      if (old.table === model.table && !to.has(old.appLabel, old.name)) createDependencies.push({ kind: 'modelRemoved', app: old.appLabel, model: old.name.toLowerCase() });
    }
    detection.add(Stage.createModel, new CreateModel({ name: model.name, fields: plain, options }).bind(app), createDependencies);
    for (const [name, spec] of related) {
      detection.add(Stage.addField, new AddField({ model: model.name, name, field: spec }).bind(app), [own, ...relationDependencies(spec)]);
    }
    const fieldDependencies = (names: readonly string[]): Dependency[] => [
      own,
      ...names.map((field): Dependency => ({ kind: 'field', app, model: model.name.toLowerCase(), field })),
    ];
    for (const index of indexes) detection.add(Stage.addIndex, new AddIndex({ model: model.name, index }).bind(app), fieldDependencies(index.fields));
    for (const constraint of constraints) {
      detection.add(Stage.addIndex, new AddConstraint({ model: model.name, constraint }).bind(app), fieldDependencies(constraintFields(constraint)));
    }
  }
}

function pointsAt(spec: FieldSpec, model: ModelState): boolean {
  const key = modelKey(model.appLabel, model.name);
  return [spec.target, spec.through].some((label) => label !== undefined && label.toLowerCase() === key);
}
