import { FieldError } from '../errors.js';
import { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { manyToManyLink, type ManyToManyLink } from './many-to-many.js';
import { ensureRelations } from './resolve-relations.js';

/** `post.author`: the key is on this model. */
export interface ForwardRelation {
  readonly kind: 'forward';
  readonly name: string;
  readonly model: AnyModel;
  readonly related: AnyModel;
  readonly field: ForeignKey;
}

/** `author.posts` (or `user.profile` for a one-to-one, `single`): the key is on the related model. */
export interface ReverseRelation {
  readonly kind: 'reverse';
  readonly name: string;
  readonly model: AnyModel;
  readonly related: AnyModel;
  readonly field: ForeignKey;
  readonly single: boolean;
}

/** `post.tags` or `tag.posts`: keys on the join model, `ownKey` pointing at this model, `otherKey` at the related one. */
export interface ManyRelation {
  readonly kind: 'many';
  readonly name: string;
  readonly model: AnyModel;
  readonly related: AnyModel;
  readonly link: ManyToManyLink;
  readonly ownKey: ForeignKey;
  readonly otherKey: ForeignKey;
}

export type RelationDescriptor = ForwardRelation | ReverseRelation | ManyRelation;

const cache = new WeakMap<AnyModel, Map<string, RelationDescriptor>>();

/** Names of every relation of a model (forward, reverse, many-to-many). */
export function relationNames(model: AnyModel): string[] {
  ensureRelations();
  return [
    ...model.meta.foreignKeys.map((field) => field.name),
    ...model.meta.manyToMany.map((field) => field.name),
    ...model.meta.reverseRelations.map((relation) => relation.name),
  ];
}

/**
 * What relation `name` of `model` is and how it is stored; throws FieldError
 * naming the closest relation when there is none.
 */
export function describeRelation(model: AnyModel, name: string): RelationDescriptor {
  ensureRelations();
  let byName = cache.get(model);
  if (!byName) {
    byName = new Map();
    cache.set(model, byName);
  }
  let descriptor = byName.get(name);
  if (!descriptor) {
    descriptor = build(model, name);
    byName.set(name, descriptor);
  }
  return descriptor;
}

/** Forget cached descriptors of a model (its relations were re-resolved). */
export function forgetRelationDescriptors(model: AnyModel): void {
  cache.delete(model);
}

function build(model: AnyModel, name: string): RelationDescriptor {
  const field = model.meta.fieldMap.get(name);
  if (field instanceof ForeignKey && field.name === name) {
    return { kind: 'forward', name, model, related: field.target, field };
  }
  if (field instanceof ManyToManyField) {
    const link = manyToManyLink(field);
    return { kind: 'many', name, model, related: field.target, link, ownKey: link.sourceField, otherKey: link.targetField };
  }
  const reverse = model.meta.reverseRelations.find((relation) => relation.name === name);
  if (reverse && reverse.field instanceof ManyToManyField) {
    const link = manyToManyLink(reverse.field);
    return { kind: 'many', name, model, related: reverse.model, link, ownKey: link.targetField, otherKey: link.sourceField };
  }
  if (reverse && reverse.field instanceof ForeignKey) {
    return { kind: 'reverse', name, model, related: reverse.model, field: reverse.field, single: reverse.field.kind === 'oneToOne' };
  }
  const names = relationNames(model);
  const hint = didYouMean(name, names);
  throw new FieldError(
    `'${name}' is not a relation of ${model.name}${hint || '.'}` +
      (names.length ? ` Its relations are: ${names.join(', ')}.` : ' It has no relations.'),
  );
}
