import { ForeignKey } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';
import type { ReverseRelation as MetaReverseRelation } from '../model/model-meta.js';
import { stateOf } from '../model/instance-state.js';
import { defineAccessor } from './define-accessor.js';
import { ManyRelatedManager } from './many-related.js';
import { relationNotLoaded } from './not-loaded.js';
import { describeRelation, type ManyRelation, type ReverseRelation } from './relation-descriptor.js';
import { ReverseRelatedManager } from './reverse-related.js';

/**
 * Install `author.posts` (reverse foreign key: a ReverseRelated), `user.profile`
 * (reverse one-to-one: the object or null) or `tag.posts` (reverse
 * many-to-many: a ManyRelated) on the target model's prototype.
 */
export function installReverseAccessor(target: AnyModel, relation: MetaReverseRelation): void {
  const { name, field } = relation;
  const what = `The reverse accessor of ${relation.model.name}.${field.name} on ${target.name}`;
  if (!(field instanceof ForeignKey)) {
    defineAccessor(target.prototype, name, {
      get(this: object) {
        return new ManyRelatedManager(this, describeRelation(target, name) as ManyRelation);
      },
    }, what);
    return;
  }
  if (field.kind === 'oneToOne') {
    defineAccessor(target.prototype, name, {
      get(this: object) {
        const relations = stateOf(this).relations;
        if (relations.has(name)) return relations.get(name) ?? null;
        throw relationNotLoaded(target, name, { selectable: false });
      },
    }, what);
    return;
  }
  defineAccessor(target.prototype, name, {
    get(this: object) {
      return new ReverseRelatedManager(this, describeRelation(target, name) as ReverseRelation);
    },
  }, what);
}
