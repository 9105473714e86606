import { ImproperlyConfigured } from '@atrium/core';
import { ForeignKey, resolveModelRef, type ManyToManyField } from '../fields/relation-fields.js';
import { model, type AnyModel } from '../model/model.js';
import type { ModelMeta } from '../model/model-meta.js';
import { allModels, getModel, hasModel, registerModel } from '../model/model-registry.js';

/** How a many-to-many field is stored: the join model and its two foreign keys. */
export interface ManyToManyLink {
  readonly field: ManyToManyField;
  /** The join model (auto-created, or the field's `through`). */
  readonly through: AnyModel;
  /** Foreign key on the join model pointing at the model declaring the field (`post`). */
  readonly sourceField: ForeignKey;
  /** Foreign key on the join model pointing at the field's target (`tag`). */
  readonly targetField: ForeignKey;
  readonly autoCreated: boolean;
}

const links = new WeakMap<ManyToManyField, ManyToManyLink>();

/**
 * The join model and keys of a many-to-many field, creating and registering
 * the join model on first use (lazily, because the target is a thunk that may
 * name a model declared later in the file).
 * @example
 * const { through, sourceField, targetField } = manyToManyLink(Post.fields.tags);
 */
export function manyToManyLink(field: ManyToManyField): ManyToManyLink {
  let link = links.get(field);
  if (!link) {
    link = field.m2m.through ? linkThrough(field, resolveModelRef(field.m2m.through, field.model, field.name)) : createJoinModel(field);
    links.set(field, link);
  } else if (link.autoCreated && (!hasModel(link.through.name) || getModel(link.through.name) !== link.through)) {
    // The registry was cleared (tests) while the declaring model survived: register the join model again.
    registerModel(link.through);
  }
  return link;
}

/**
 * The join model of a many-to-many field.
 * @example
 * await throughModel(Post.fields.tags).objects.count();
 */
export function throughModel(field: ManyToManyField): AnyModel {
  return manyToManyLink(field).through;
}

/**
 * Create the join model of every registered many-to-many field, so that
 * `allModels()` (schema editor, migrations, deletion) sees them.
 * @example
 * ensureJoinModels();
 * const tables = allModels().map((m) => m.meta.table);
 */
export function ensureJoinModels(): void {
  for (const declaring of allModels()) {
    for (const field of declaring.meta.manyToMany) manyToManyLink(field);
  }
}

/** Join model `<app>.<Model>_<field>`, table `<table>_<field column>`, two CASCADE keys, unique together. */
function createJoinModel(field: ManyToManyField): ManyToManyLink {
  const source = field.model;
  const target = field.target;
  const self = source === target;
  const sourceName = self ? `from${source.meta.modelName}` : lowerFirst(source.meta.modelName);
  const targetName = self ? `to${target.meta.modelName}` : lowerFirst(target.meta.modelName);
  const joinFields = {
    [sourceName]: new ForeignKey(() => field.model, { onDelete: 'CASCADE', relatedName: '+' }),
    [targetName]: new ForeignKey(() => field.target, { onDelete: 'CASCADE', relatedName: '+' }),
  };
  const label = `${source.meta.appLabel}.${source.meta.modelName}_${field.name}` as `${string}.${string}`;
  const through = model(label, joinFields, {
    table: field.m2m.dbTable ?? `${source.meta.table}_${field.column}`,
    uniqueTogether: [[sourceName, targetName]],
    database: source.meta.database,
    verboseName: `${source.meta.verboseName}-${target.meta.verboseName} relationship`,
  }) as AnyModel;
  (through.meta as { -readonly [K in keyof ModelMeta]: ModelMeta[K] }).autoCreatedFor = field;
  return { field, through, sourceField: joinFields[sourceName]!, targetField: joinFields[targetName]!, autoCreated: true };
}

/** Find the two keys of a user-declared `through` model (the first pointing at each side). */
function linkThrough(field: ManyToManyField, through: AnyModel): ManyToManyLink {
  const keys = through.meta.foreignKeys;
  const sourceField = keys.find((key) => key.target === field.model);
  const targetField = keys.find((key) => key !== sourceField && key.target === field.target);
  if (!sourceField || !targetField) {
    throw new ImproperlyConfigured(
      `The through model ${through.name} of ${field.model.name}.${field.name} needs a foreign key to ${field.model.name} and one to ${field.target.name}.`,
    );
  }
  return { field, through, sourceField, targetField, autoCreated: false };
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
