import type { AnyField } from '../fields/field.js';
import { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import { FieldError } from '../errors.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { describeRelation, relationNames } from '../relations/relation-descriptor.js';
import { ensureRelations } from '../relations/resolve-relations.js';
import type { Scope } from './compile-context.js';

/** A column reached by a path: the table alias it lives under and its field. */
export interface ResolvedColumn {
  readonly alias: string;
  readonly field: AnyField;
  /** The model whose table holds the column. */
  readonly model: AnyModel;
  /** True when a many-valued relation was crossed (only aggregates allow it). */
  readonly multi: boolean;
}

/** Every name a filter may use on a model, for "did you mean" hints. */
export function knownNames(model: AnyModel): string[] {
  ensureRelations();
  return ['pk', ...model.meta.fieldMap.keys(), ...model.meta.reverseRelations.map((r) => r.name)];
}

/** FieldError for an unknown name, naming the model and the closest valid name. */
export function unknownName(model: AnyModel, name: string, where: string): FieldError {
  const names = knownNames(model);
  return new FieldError(`Unknown field '${name}' on model ${model.name} in ${where}${didYouMean(name, names) || '.'} Fields: ${names.filter((n) => n !== 'pk').join(', ')}.`);
}

/** The field for a name ending a path ('pk', a column, `<fk>Id`), or null for a relation / unknown name. */
export function columnField(model: AnyModel, name: string): AnyField | null {
  if (name === 'pk') return model.meta.pk;
  const field = model.meta.fieldMap.get(name);
  return field && field.hasColumn ? field : null;
}

/**
 * Resolve `'author.name'` (or `'posts.views'` with `allowMulti`) from a
 * scope, adding the joins it needs. A path ending on a relation stands for
 * the related row's primary key (`Count('posts')`).
 */
export function resolveColumnPath(scope: Scope, path: string, where: string, allowMulti = false): ResolvedColumn {
  const names = path.split('.');
  let model = scope.model;
  let alias = scope.alias;
  let multi = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const last = i === names.length - 1;
    const field = columnField(model, name);
    if (field && (last || !(field instanceof ForeignKey) || name !== field.name)) {
      if (!last) throw new FieldError(`'${name}' in '${path}' (${where}) is a field of ${model.name}, not a relation; it cannot be followed by '.${names.slice(i + 1).join('.')}'.`);
      return { alias, field, model, multi };
    }
    if (!field && !isRelationName(model, name)) throw unknownName(model, name, where);
    const relation = describeRelation(model, name);
    if (relation.kind === 'forward') {
      alias = scope.joins.forward(alias, relation.field);
    } else {
      if (!allowMulti) {
        throw new FieldError(
          `'${name}' in '${path}' (${where}) is a many-valued relation of ${model.name}; filter through it with a nested object (filter({ ${name}: {...} })) or aggregate it (Count('${path}')).`,
        );
      }
      multi = true;
      alias = relation.kind === 'reverse' ? scope.joins.reverse(alias, relation) : scope.joins.many(alias, relation);
    }
    model = relation.related;
    if (last) return { alias, field: model.meta.pk, model, multi };
  }
  throw new FieldError(`Empty field path in ${where}.`);
}

function isRelationName(model: AnyModel, name: string): boolean {
  const field = model.meta.fieldMap.get(name);
  if (field instanceof ForeignKey) return field.name === name;
  if (field instanceof ManyToManyField) return true;
  return relationNames(model).includes(name);
}
