import type { AnyField } from '../../fields/field.js';
import { ForeignKey, ManyToManyField } from '../../fields/relation-fields.js';
import type { AnyModel } from '../../model/model.js';
import { manyToManyLink } from '../../relations/many-to-many.js';
import { MigrationStateError } from '../errors.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { SpecValue } from '../state/spec-value.js';
import { replaceModelState } from '../state/model-state.js';
import type { ProjectState } from '../state/project-state.js';

/**
 * Helpers operations use to get historical models and fields out of a
 * state for the schema editor.
 */

/** The historical model `appLabel.name` of `state`. */
export function historicalModel(state: ProjectState, appLabel: string, name: string): AnyModel {
  return state.renderModels().get(`${appLabel}.${name}`);
}

/** Field `name` of a historical model (by field name, not `<fk>Id`). */
export function historicalField(model: AnyModel, name: string): AnyField {
  const field = model.meta.fields.find((candidate) => candidate.name === name);
  if (!field) throw new MigrationStateError(`${model.name} has no field '${name}' at this point of the migrations.`);
  return field;
}

/**
 * The model and field of `state` with the field's default replaced by a
 * one-off `value` (the backfill of existing rows: the editor writes
 * `field.getDefault()` into them). The state itself is not changed.
 */
export function withOneOffDefault(state: ProjectState, appLabel: string, modelName: string, fieldName: string, value: SpecValue): { model: AnyModel; field: AnyField } {
  const variant = state.clone();
  const current = variant.get(appLabel, modelName);
  const fields = current.fields.map(([name, spec]) => (name === fieldName ? ([name, { ...spec, options: { ...spec.options, default: value } }] as const) : ([name, spec] as const)));
  variant.replace(appLabel, modelName, replaceModelState(current, { fields }));
  const model = historicalModel(variant, appLabel, modelName);
  return { model, field: historicalField(model, fieldName) };
}

/** The auto-created join model of a many-to-many field, or null for a declared `through` model. */
export function autoJoinModel(field: ManyToManyField): AnyModel | null {
  const link = manyToManyLink(field);
  return link.through.meta.autoCreatedFor === field ? link.through : null;
}

/**
 * Rename the join tables (and their key columns) of auto-created
 * many-to-many fields whose names changed between `before` and `after`
 * (a model or table rename, a many-to-many field rename). `previous` maps a
 * field of `after` to its counterpart in `before`.
 */
export async function syncAutoJoins(
  editor: MigrationSchemaEditor,
  before: ProjectState,
  after: ProjectState,
  previous: (appLabel: string, model: string, field: string) => readonly [string, string, string],
): Promise<void> {
  for (const state of after.modelsOf()) {
    for (const [fieldName, spec] of state.fields) {
      if (spec.kind !== 'manyToMany' || spec.through !== undefined) continue;
      const [oldApp, oldModel, oldField] = previous(state.appLabel, state.name, fieldName);
      if (!before.has(oldApp, oldModel)) continue;
      const newField = historicalField(historicalModel(after, state.appLabel, state.name), fieldName);
      const oldFieldObject = historicalField(historicalModel(before, oldApp, oldModel), oldField);
      if (!(newField instanceof ManyToManyField) || !(oldFieldObject instanceof ManyToManyField)) continue;
      const newJoin = autoJoinModel(newField);
      const oldJoin = autoJoinModel(oldFieldObject);
      if (!newJoin || !oldJoin) continue;
      const renames = new Map<string, string>();
      const oldKeys = joinKeys(oldFieldObject);
      const newKeys = joinKeys(newField);
      for (let i = 0; i < 2; i++) if (oldKeys[i]!.column !== newKeys[i]!.column) renames.set(oldKeys[i]!.column, newKeys[i]!.column);
      if (oldJoin.meta.table !== newJoin.meta.table || renames.size > 0) await editor.alterModel(oldJoin, newJoin, { renames });
    }
  }
}

function joinKeys(field: ManyToManyField): readonly [ForeignKey, ForeignKey] {
  const link = manyToManyLink(field);
  return [link.sourceField, link.targetField];
}
