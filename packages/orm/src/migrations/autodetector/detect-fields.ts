import { AddField } from '../operations/add-field.js';
import { AlterField } from '../operations/alter-field.js';
import { RemoveField } from '../operations/remove-field.js';
import { RenameField } from '../operations/rename-field.js';
import { specsEqual, type FieldSpec } from '../state/field-spec.js';
import { hasStateField, type ModelState } from '../state/model-state.js';
import { isSpecValue, type SpecValue } from '../state/spec-value.js';
import type { Dependency } from './dependency.js';
import { constraintFields, relationDependencies, Stage, type Detection } from './detection.js';

/**
 * A field disappeared while one with the same definition (the column aside)
 * appeared on the same model: ask whether it was renamed.
 */
export async function detectRenamedFields(detection: Detection): Promise<void> {
  // Identical definitions first; then the same kind with changed options (a rename plus an AlterField).
  for (const similar of [sameDefinition, sameKind]) {
    for (const [, after] of detection.commonModels()) {
      for (const [newName, newSpec] of after.fields) {
        const before = detection.from.get(after.appLabel, after.name);
        if (hasStateField(before, newName)) continue;
        for (const [oldName, oldSpec] of before.fields) {
          if (hasStateField(after, oldName) || !similar(oldSpec, newSpec)) continue;
          const changed = similar === sameKind;
          if (await detection.questioner.askRenameField(before, oldName, newName, newSpec, changed)) {
            detection.rename(Stage.renameField, new RenameField({ model: after.name, oldName, newName }).bind(after.appLabel));
            break;
          }
        }
      }
    }
  }
}

function sameDefinition(a: FieldSpec, b: FieldSpec): boolean {
  return specsEqual(withoutColumn(a), withoutColumn(b));
}

function sameKind(a: FieldSpec, b: FieldSpec): boolean {
  return a.kind === b.kind && a.target === b.target && a.through === b.through && !sameDefinition(a, b);
}

/** Fields of surviving models that the code no longer declares. */
export function detectRemovedFields(detection: Detection): void {
  for (const [before, after] of detection.commonModels()) {
    for (const [name] of before.fields) {
      if (hasStateField(after, name)) continue;
      detection.add(Stage.removeField, new RemoveField({ model: after.name, name }).bind(after.appLabel), removalDependencies(before, name));
    }
  }
}

/** Indexes and constraints naming the field must be dropped before it. */
function removalDependencies(model: ModelState, field: string): Dependency[] {
  const app = model.appLabel;
  const name = model.name.toLowerCase();
  return [
    ...(model.options.indexes ?? []).filter((index) => index.fields.includes(field)),
    ...(model.options.constraints ?? []).filter((constraint) => constraintFields(constraint).includes(field)),
  ].map((item): Dependency => ({ kind: 'indexRemoved', app, model: name, name: item.name }));
}

/**
 * New fields of surviving models. A NOT NULL field without a default needs
 * a value for the rows the table already has: the questioner provides it
 * (calling a default function once, or asking for a one-off value).
 */
export async function detectAddedFields(detection: Detection): Promise<void> {
  for (const [before, after] of detection.commonModels()) {
    for (const [name, spec] of after.fields) {
      if (hasStateField(before, name)) continue;
      const backfill = needsValueForExistingRows(spec) ? await askBackfill(detection, after, name, spec) : undefined;
      detection.add(
        Stage.addField,
        new AddField({ model: after.name, name, field: spec, ...(backfill !== undefined ? { backfill } : {}) }).bind(after.appLabel),
        relationDependencies(spec),
      );
    }
  }
}

/**
 * Fields on both sides whose definitions differ: AlterField, or remove +
 * add when a many-to-many field changes what it links (its join table is a
 * different table then).
 */
export async function detectAlteredFields(detection: Detection): Promise<void> {
  for (const [before, after] of detection.commonModels()) {
    for (const [name, newSpec] of after.fields) {
      if (!hasStateField(before, name)) continue;
      const oldSpec = before.fields.find(([fieldName]) => fieldName === name)![1];
      if (specsEqual(oldSpec, newSpec)) continue;
      const app = after.appLabel;
      if (oldSpec.kind === 'manyToMany' || newSpec.kind === 'manyToMany') {
        const sameLink = oldSpec.kind === newSpec.kind && oldSpec.target === newSpec.target && oldSpec.through === newSpec.through;
        if (!sameLink) {
          detection.add(Stage.removeField, new RemoveField({ model: after.name, name }).bind(app), removalDependencies(before, name));
          detection.add(Stage.addField, new AddField({ model: after.name, name, field: newSpec }).bind(app), [
            { kind: 'fieldRemoved', app, model: after.name.toLowerCase(), field: name },
            ...relationDependencies(newSpec),
          ]);
          continue;
        }
      }
      let backfill: SpecValue | undefined;
      if (oldSpec.options.null === true && newSpec.options.null !== true && needsValueForExistingRows(newSpec)) {
        backfill = await detection.questioner.askNotNullAlteration(after, name, newSpec);
      }
      detection.add(
        Stage.alterField,
        new AlterField({ model: after.name, name, field: newSpec, ...(backfill !== undefined ? { backfill } : {}) }).bind(app),
        relationDependencies(newSpec),
      );
    }
  }
}

/** NOT NULL, no literal default, nothing generated: existing rows need a value. */
function needsValueForExistingRows(spec: FieldSpec): boolean {
  const o = spec.options;
  if (spec.kind === 'manyToMany' || spec.kind === 'autoField' || o.null === true || o.default !== undefined) return false;
  return o.autoNow !== true && o.autoNowAdd !== true;
}

async function askBackfill(detection: Detection, model: ModelState, name: string, spec: FieldSpec): Promise<SpecValue> {
  const declared = detection.to.sourceModel(model.appLabel, model.name)?.meta.fields.find((field) => field.name === name);
  if (declared && typeof declared.options.default === 'function') {
    const sample: unknown = declared.getDefault();
    if (isSpecValue(sample) && sample !== null) return detection.questioner.askFunctionDefault(model, name, spec, sample);
  }
  return detection.questioner.askNotNullAddition(model, name, spec);
}

function withoutColumn(spec: FieldSpec): FieldSpec {
  const { column: _column, ...options } = spec.options;
  return { ...spec, options };
}
