import { specToField, type FieldSpec } from '../state/field-spec.js';
import { isSpecValue, type SpecValue } from '../state/spec-value.js';

/**
 * Parse a one-off value typed at a prompt or passed with --default: a JSON
 * literal (`''`, `0`, `"draft"`, `true`, `{"a": 1}`), `now` for date and time
 * fields, a bare word for text fields; then check it with the field's own
 * validation. Returns the value or the reason it was refused.
 * @example
 * parseAnswerValue('"hello"', f.string({ maxLength: 10 })); // { value: 'hello' }
 */
export function parseAnswerValue(text: string, spec: FieldSpec): { value: SpecValue } | { error: string } {
  const raw = text.trim();
  let value: unknown;
  if (raw === 'now' && (spec.kind === 'datetime' || spec.kind === 'date' || spec.kind === 'time')) {
    const now = new Date();
    value = spec.kind === 'datetime' ? now : spec.kind === 'date' ? now.toISOString().slice(0, 10) : now.toISOString().slice(11, 19);
  } else {
    try {
      value = JSON.parse(raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? JSON.stringify(raw.slice(1, -1)) : raw);
    } catch {
      if (!TEXT_KINDS.has(spec.kind)) return { error: `${JSON.stringify(raw)} is not a JSON literal (write strings in quotes, e.g. "draft").` };
      value = raw;
    }
    if (spec.kind === 'datetime' && typeof value === 'string') value = new Date(value);
    if (spec.kind === 'decimal' && typeof value === 'number') value = String(value);
    if (spec.kind === 'bigint' && (typeof value === 'number' || typeof value === 'string') && /^-?\d+$/.test(String(value))) value = BigInt(value);
  }
  if (!isSpecValue(value)) return { error: 'That value cannot be written into a migration.' };
  if (value === null) return { error: 'The field is NOT NULL; give a value.' };
  const field = spec.kind === 'foreignKey' || spec.kind === 'oneToOne' ? null : specToField({ ...spec, options: { ...spec.options, null: false } });
  const problems = field ? field.validate(value as never) : [];
  if (problems.length > 0) return { error: problems.join(' ') };
  return { value };
}

const TEXT_KINDS = new Set(['string', 'text', 'email', 'url', 'slug', 'enum', 'uuid']);
