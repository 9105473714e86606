import type { AnyField, AnyModel } from '@atrium/orm';
import { filterBy, pkOf, querySetOf } from '../data/queryset-source.js';
import type { IssueInit } from '../validation/issue.js';

/** A failed uniqueness check: the field it belongs to (null: the form) and the issue. */
export interface UniqueIssue {
  readonly field: string | null;
  readonly issue: IssueInit;
}

type Row = Record<string, unknown>;

const attnameOf = (field: AnyField): string => (field.kind === 'foreignKey' || field.kind === 'oneToOne' ? `${field.name}Id` : field.name);

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** True when another row than `instance` has these values (at most two rows are read). */
async function taken(model: AnyModel, instance: Row, where: Row): Promise<boolean> {
  const own = pkOf(instance);
  const rows = await filterBy(querySetOf(model as never), where).slice(0, 2);
  return rows.some((row) => own === undefined || own === null || String(pkOf(row)) !== String(own));
}

/**
 * Uniqueness of the instance a model form built, as form errors: each
 * unique field in `fields` (code `unique`, on the field) and each
 * unique-together set whose fields are all in the form (code
 * `unique_together`, on the form). Fields in `skip` (already in error) and
 * empty values are not checked.
 */
export async function uniqueIssues(model: AnyModel, instance: Row, fields: ReadonlySet<string>, skip: ReadonlySet<string>): Promise<UniqueIssue[]> {
  const issues: UniqueIssue[] = [];
  const modelName = capitalize(model.meta.verboseName);
  for (const field of model.meta.columnFields) {
    if (!field.isUnique || !fields.has(field.name) || skip.has(field.name)) continue;
    const value = instance[attnameOf(field)];
    if (value === undefined || value === null || value === '') continue;
    if (await taken(model, instance, { [attnameOf(field)]: value })) {
      issues.push({ field: field.name, issue: { code: 'unique', params: { model: modelName, field: field.verboseName } } });
    }
  }
  for (const constraint of model.meta.constraints) {
    if (constraint.kind !== 'unique' || !constraint.fields.every((name) => fields.has(name)) || constraint.fields.some((name) => skip.has(name))) continue;
    const where: Row = {};
    let complete = true;
    for (const name of constraint.fields) {
      const field = model.meta.fieldMap.get(name)!;
      const value = instance[attnameOf(field)];
      if (value === undefined || value === null) complete = false;
      else where[attnameOf(field)] = value;
    }
    if (complete && (await taken(model, instance, where))) {
      const names = constraint.fields.map((name) => model.meta.fieldMap.get(name)?.verboseName ?? name);
      issues.push({ field: null, issue: { code: 'unique_together', params: { model: modelName, fields: names.join(' and ') } } });
    }
  }
  return issues;
}

/** Fields covered by uniqueIssues: unique fields and the fields of unique-together sets. */
export function uniqueFieldNames(model: AnyModel): Set<string> {
  const names = new Set(model.meta.columnFields.filter((field) => field.isUnique && !field.isPrimaryKey).map((field) => field.name));
  for (const constraint of model.meta.constraints) if (constraint.kind === 'unique') for (const name of constraint.fields) names.add(name);
  return names;
}
