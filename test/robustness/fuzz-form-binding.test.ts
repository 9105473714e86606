import fc from 'fast-check';
import { describe, it } from 'vitest';
import { QueryDict } from '@atrium/core';
import { fields, form } from '@atrium/forms';
import { assertPrototypeClean, checkProperty, nastyString, PROTOTYPE_KEYS, withinTime } from './support/fuzz.js';

/**
 * Form binding on any field map: a JSON object (with own `__proto__`,
 * `constructor` and `prototype` keys, nested too), a Map or a QueryDict, with
 * values of any JSON shape. Validation always settles to valid-or-errors;
 * it never throws, and nothing reaches Object.prototype.
 */
const Everything = form({
  name: fields.char({ maxLength: 50 }),
  bio: fields.text({ required: false }),
  email: fields.email({ required: false }),
  site: fields.url({ required: false }),
  slug: fields.slug({ required: false }),
  age: fields.integer({ required: false, minValue: 0 }),
  ratio: fields.float({ required: false }),
  price: fields.decimal({ required: false, maxDigits: 8, decimalPlaces: 2 }),
  big: fields.bigint({ required: false }),
  agree: fields.boolean(),
  maybe: fields.nullBoolean({ required: false }),
  colour: fields.choice(['red', 'green'], { required: false }),
  tags: fields.multipleChoice(['a', 'b', 'c'], { required: false }),
  born: fields.date({ required: false }),
  at: fields.datetime({ required: false }),
  time: fields.time({ required: false }),
  key: fields.uuid({ required: false }),
  meta: fields.json({ required: false }),
  upload: fields.file({ required: false }),
});

const FIELD_NAMES = ['name', 'bio', 'email', 'site', 'slug', 'age', 'ratio', 'price', 'big', 'agree', 'maybe', 'colour', 'tags', 'born', 'at', 'time', 'key', 'meta', 'upload'];
const key = fc.oneof(fc.constantFrom(...FIELD_NAMES, ...PROTOTYPE_KEYS, 'hasOwnProperty', 'toString', 'valueOf'), nastyString);
const scalarText = fc.oneof(
  nastyString,
  fc.constantFrom('1e400', '-0', 'NaN', 'Infinity', '0x10', '9'.repeat(400), '2024-02-30', '2024-13-01T25:61:00Z', 'true', 'on', 'null', '00000000-0000-0000-0000-000000000000', '{"a":', 'a@b', 'http://[::1', 'javascript:alert(1)'),
);
/** Any JSON value, with prototype keys mixed into objects at any depth. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    scalarText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`) as unknown),
  ),
})).value;

/** A JSON object whose own keys may be `__proto__` etc. (JSON.parse makes them own properties, as a request body would). */
const jsonObject = fc.array(fc.tuple(key, hostileJson), { maxLength: 12 }).map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`) as Record<string, unknown>);
const queryDict = fc.array(fc.tuple(key, scalarText), { maxLength: 20 }).map((entries) => new QueryDict(entries));
const map = fc.array(fc.tuple(key, hostileJson), { maxLength: 12 }).map((entries) => new Map<string, unknown>(entries));

async function validates(data: Record<string, unknown> | QueryDict | Map<string, unknown>): Promise<void> {
  const bound = new Everything({ data });
  const valid = await withinTime(bound.isValid(), 2_000, 'form validation');
  if (valid) {
    // A valid form's cleaned data holds the declared fields only.
    for (const name of Object.keys(bound.cleanedData)) if (!FIELD_NAMES.includes(name)) throw new Error(`cleanedData has undeclared key '${name}'`);
  } else {
    JSON.stringify(bound.errors.toJSON());
  }
  assertPrototypeClean();
}

describe('form binding fuzzing: any field map gives errors or cleaned data, never a throw', () => {
  it('a JSON object with any keys (incl. __proto__, constructor, prototype) and values of any shape', async () => {
    await checkProperty('form binding: JSON objects', fc.asyncProperty(jsonObject, validates), 400);
  });

  it('a QueryDict with any keys and repeated values', async () => {
    await checkProperty('form binding: QueryDict', fc.asyncProperty(queryDict, validates), 300);
  });

  it('a Map with any keys and values', async () => {
    await checkProperty('form binding: Map', fc.asyncProperty(map, validates), 300);
  });
});
