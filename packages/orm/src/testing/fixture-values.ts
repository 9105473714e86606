import type { AnyField } from '../fields/field.js';
import { ForeignKey } from '../fields/relation-fields.js';

/** JSON scalar as it appears in a fixture. */
export type FixtureValue = string | number | boolean | null | FixtureValue[] | { [key: string]: FixtureValue };

/** One object of a fixture, in Django's format. */
export interface FixtureObject {
  /** Lower-case model label, `blog.post` (the model's label is matched case-insensitively). */
  model: string;
  pk: FixtureValue;
  /** Column fields by name (foreign keys as the target's pk), many-to-many fields as pk lists. */
  fields: Record<string, FixtureValue>;
}

/**
 * A field's JS value -> its fixture JSON form: Date -> ISO-8601, Buffer ->
 * base64, bigint -> number when exact else string, decimals stay strings,
 * foreign keys as the target's pk in its own JSON form.
 */
export function toFixtureValue(field: AnyField, value: unknown): FixtureValue {
  if (value === null || value === undefined) return null;
  if (field instanceof ForeignKey) return toFixtureValue(field.target.meta.pk, value);
  switch (field.kind) {
    case 'datetime':
      return (value as Date).toISOString();
    case 'binary':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'bigint': {
      const n = Number(value as bigint);
      return Number.isSafeInteger(n) ? n : (value as bigint).toString();
    }
    default:
      return value as FixtureValue;
  }
}

/** The reverse of `toFixtureValue`, giving the value `field.toDb()` expects. */
export function fromFixtureValue(field: AnyField, value: FixtureValue | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (field instanceof ForeignKey) return fromFixtureValue(field.target.meta.pk, value);
  switch (field.kind) {
    case 'datetime':
      return new Date(value as string);
    case 'binary':
      return Buffer.from(value as string, 'base64');
    case 'bigint':
      return BigInt(value as string | number);
    case 'decimal':
      return String(value);
    default:
      return value;
  }
}
