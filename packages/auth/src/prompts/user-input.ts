import type { AnyField, AnyModel } from '@atrium/orm';

/**
 * Problems with a value typed for a user field: the field's own validation
 * (length, characters, e-mail format), emptiness for required fields, and
 * for unique fields a user that already has it.
 */
export async function userFieldProblems(model: AnyModel, name: string, value: string, options: { using: string; required: boolean }): Promise<string[]> {
  const field = model.meta.fieldMap.get(name) as AnyField | undefined;
  if (!field) return [`${model.name} has no field '${name}'.`];
  if (value === '') return options.required ? ['This field cannot be blank.'] : [];
  const problems = field.validate(value as never);
  if (problems.length > 0) return problems;
  if (field.isUnique && (await model.objects.using(options.using).filter({ [name]: value } as never).exists())) {
    return [`That ${field.verboseName} is already taken.`];
  }
  return [];
}

/** The field's verbose name with a capital, for prompts ('Email address'). */
export function fieldLabel(model: AnyModel, name: string): string {
  const field = model.meta.fieldMap.get(name);
  const text = field?.verboseName ?? name;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
