import { OrmUsageError } from '../errors.js';
import type { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';
import { stateOf } from '../model/instance-state.js';
import { defineAccessor } from './define-accessor.js';
import { pkOf } from './instance-keys.js';
import { hasCurrentForward } from './relation-cache.js';
import { loadRelations } from './load.js';
import { ManyRelatedManager } from './many-related.js';
import { relationNotLoaded } from './not-loaded.js';
import { describeRelation, type ManyRelation } from './relation-descriptor.js';
import { markRelationsDirty } from './resolve-relations.js';

/**
 * Install the relation accessors of a model on its instance prototype
 * (called once per model by createInstancePrototype): `post.author` for each
 * foreign key / one-to-one, `post.tags` for each many-to-many, and
 * `post.load(...)`. Reverse accessors (`author.posts`) are installed on the
 * targets by ensureRelations(), once every model is declared.
 * @example
 * defineRelationAccessors(prototype, Post);
 */
export function defineRelationAccessors(prototype: object, model: AnyModel): void {
  for (const field of model.meta.foreignKeys) defineForward(prototype, model, field);
  for (const field of model.meta.manyToMany) defineManyToMany(prototype, model, field);
  if (!Object.prototype.hasOwnProperty.call(prototype, 'load')) {
    Object.defineProperty(prototype, 'load', {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function load(this: object, ...names: string[]): Promise<void> {
        return loadRelations(model, this, names);
      },
    });
  }
  markRelationsDirty();
}

/**
 * `post.author`: the loaded object (null when the key is null); assigning an
 * instance sets `authorId` too. The cached object is ignored once `authorId`
 * was changed to point elsewhere.
 */
function defineForward(prototype: object, model: AnyModel, field: ForeignKey): void {
  const { name, attname } = field;
  defineAccessor(
    prototype,
    name,
    {
      get(this: object) {
        if (hasCurrentForward(this, field)) return stateOf(this).relations.get(name);
        const key = (this as Record<string, unknown>)[attname];
        if (key === null || key === undefined) return null;
        throw relationNotLoaded(model, name, { selectable: true });
      },
      set(this: object, value: unknown) {
        const target = field.target;
        if (value === null || value === undefined) {
          (this as Record<string, unknown>)[attname] = null;
          stateOf(this).relations.set(name, null);
          return;
        }
        if (typeof value !== 'object' || !target.prototype.isPrototypeOf(value)) {
          throw new OrmUsageError(
            `Cannot assign ${typeof value === 'object' ? 'an object' : JSON.stringify(value)} to ${model.name}.${name}: expected a ${target.name} instance ` +
              `(to assign a key, set ${attname}).`,
          );
        }
        (this as Record<string, unknown>)[attname] = pkOf(value, target);
        stateOf(this).relations.set(name, value);
        // One-to-one: the other side now knows its partner without a query.
        const reverseName = field.kind === 'oneToOne' ? field.relatedName : null;
        if (reverseName) stateOf(value).relations.set(reverseName, this);
      },
    },
    `Foreign key ${model.name}.${name}`,
  );
}

/** `post.tags`: a ManyRelated bound to the instance. */
function defineManyToMany(prototype: object, model: AnyModel, field: ManyToManyField): void {
  const name = field.name;
  defineAccessor(
    prototype,
    name,
    {
      get(this: object) {
        return new ManyRelatedManager(this, describeRelation(model, name) as ManyRelation);
      },
    },
    `Many-to-many field ${model.name}.${name}`,
  );
}
