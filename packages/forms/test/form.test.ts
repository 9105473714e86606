import { describe, expect, expectTypeOf, it } from 'vitest';
import { QueryDict, type HttpRequest, type UploadedFile } from '@atrium/core';
import { fields, form, FormInvalid, FormNotValidated, NON_FIELD_ERRORS, ValidationError, type CleanedData, type FieldsOf } from '../src/index.js';

const PostForm = form({
  title: fields.char({ maxLength: 100 }),
  body: fields.text({ required: false }),
  summary: fields.char({ required: false, emptyValue: null }),
  views: fields.integer({ required: false }),
  rating: fields.integer(),
  price: fields.decimal({ decimalPlaces: 2 }),
  published: fields.boolean(),
  status: fields.choice([['d', 'Draft'], ['l', 'Live']]),
  level: fields.choice([1, 2, 3], { required: false }),
  tags: fields.multipleChoice(['news', 'tech']),
  day: fields.date({ required: false }),
  at: fields.datetime(),
  email: fields.email(),
  site: fields.url({ required: false }),
  attachment: fields.file({ required: false }),
  photo: fields.image(),
});

describe('typed cleanedData', () => {
  it('is inferred from the declaration', () => {
    type Data = CleanedData<FieldsOf<InstanceType<typeof PostForm>>>;
    expectTypeOf<Data>().toEqualTypeOf<{
      title: string;
      body: string;
      summary: string | null;
      views: number | null;
      rating: number;
      price: string;
      published: boolean;
      status: 'd' | 'l';
      level: 1 | 2 | 3 | null;
      tags: Array<'news' | 'tech'>;
      day: string | null;
      at: Date;
      email: string;
      site: string;
      attachment: UploadedFile | null | false;
      photo: UploadedFile;
    }>();
    expectTypeOf<InstanceType<typeof PostForm>['cleanedData']['status']>().toEqualTypeOf<'d' | 'l'>();
  });

  it('subclasses keep their own type through bind()', () => {
    class Sub extends form({ n: fields.integer() }) {
      double(): number {
        return this.cleanedData.n * 2;
      }
    }
    const bindSub = (request: HttpRequest) => Sub.bind(request);
    expectTypeOf(bindSub).returns.toEqualTypeOf<Promise<Sub>>();
  });
});

const Contact = form({
  name: fields.char({ maxLength: 50 }),
  email: fields.email(),
  age: fields.integer({ required: false, min: 0 }),
});

describe('binding and validation', () => {
  it('an unbound form is not valid and has no errors', async () => {
    const contact = new Contact();
    expect(contact.isBound).toBe(false);
    expect(await contact.isValid()).toBe(false);
    expect(contact.errors.isEmpty).toBe(true);
    expect(() => contact.cleanedData).toThrow(FormNotValidated);
  });

  it('binds a QueryDict, a plain object or a Map', async () => {
    for (const data of [
      QueryDict.parse('name=Ann&email=ann%40example.com&age=30'),
      { name: 'Ann', email: 'ann@example.com', age: 30 },
      new Map<string, unknown>([['name', 'Ann'], ['email', 'ann@example.com'], ['age', '30']]),
    ]) {
      const contact = new Contact({ data });
      expect(await contact.isValid()).toBe(true);
      expect(contact.cleanedData).toEqual({ name: 'Ann', email: 'ann@example.com', age: 30 });
    }
  });

  it('collects per-field errors with codes and messages, never throwing', async () => {
    const contact = new Contact({ data: { name: ['a', 'b'], email: 'nope', age: '-1' } });
    expect(await contact.isValid()).toBe(false);
    expect(contact.errors.toJSON()).toEqual({
      name: [{ code: 'invalid', message: 'Enter a valid value.', params: {} }],
      email: [{ code: 'invalid_email', message: 'Enter a valid email address.', params: {} }],
      age: [{ code: 'min_value', message: 'Ensure this value is greater than or equal to 0.', params: { min: 0 } }],
    });
    expect(contact.fields.email.errors).toEqual(['Enter a valid email address.']);
    expect(() => contact.cleanedData).toThrow(FormInvalid);
    try {
      void contact.cleanedData;
    } catch (error) {
      expect((error as FormInvalid).code).toBe('E_FORM_INVALID');
      expect((error as Error).message).toContain("'name', 'email', 'age'");
    }
  });

  it('validates once and reuses the result', async () => {
    let calls = 0;
    const Counted = form({ n: fields.integer({ validators: [() => void calls++] }) });
    const counted = new Counted({ data: { n: '1' } });
    await Promise.all([counted.isValid(), counted.isValid()]);
    await counted.isValid();
    expect(calls).toBe(1);
  });

  it('ignores __proto__ and other prototype keys in data', async () => {
    const data = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"x": 1}}, "name": "Ann", "email": "a@example.com"}') as Record<string, unknown>;
    const contact = new Contact({ data });
    expect(await contact.isValid()).toBe(true);
    expect(Object.keys(contact.cleanedData)).toEqual(['name', 'email', 'age']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses field names that are not identifiers or are reserved', () => {
    expect(() => form({ ['__proto__']: fields.char() } as never)).toThrow(/field named/);
    expect(() => form({ 'a-b': fields.char() })).toThrow(/identifiers/);
    expect(() => form({ constructor: fields.char() })).toThrow(/Rename the field/);
  });
});

describe('cross-field validation', () => {
  class Signup extends form({ password: fields.password(), confirm: fields.password(), nickname: fields.char({ required: false }) }) {
    override clean(data: this['cleanedData']) {
      if (data.password !== data.confirm) this.addError('confirm', { code: 'mismatch', message: 'The two passwords differ.' });
      if (data.password === 'password') throw new ValidationError({ code: 'too_common', message: 'Pick a less common password.' });
      return { ...data, nickname: data.nickname || 'anon' };
    }
  }

  it('adds field errors from clean() and removes the field from cleanedData', async () => {
    const signup = new Signup({ data: { password: 'a', confirm: 'b' } });
    expect(await signup.isValid()).toBe(false);
    expect(signup.errors.get('confirm')).toEqual([{ code: 'mismatch', params: {}, message: 'The two passwords differ.' }]);
    expect(signup.hasError('confirm', 'mismatch')).toBe(true);
  });

  it('a ValidationError thrown in clean() is a non-field error', async () => {
    const signup = new Signup({ data: { password: 'password', confirm: 'password' } });
    expect(await signup.isValid()).toBe(false);
    expect(signup.nonFieldErrors().map((e) => e.code)).toEqual(['too_common']);
    expect(signup.errors.has(NON_FIELD_ERRORS)).toBe(true);
  });

  it('clean() may return new data', async () => {
    const signup = new Signup({ data: { password: 's3cret', confirm: 's3cret' } });
    expect(await signup.isValid()).toBe(true);
    expect(signup.cleanedData.nickname).toBe('anon');
  });

  it('the clean option works without subclassing, and runs only when fields are valid', async () => {
    let ran = 0;
    const Range = form(
      { low: fields.integer(), high: fields.integer() },
      {
        clean(data, self) {
          ran++;
          if (data.low > data.high) self.addError(null, { code: 'range', message: 'Low must not exceed high.' });
        },
      },
    );
    const bad = new Range({ data: { low: '5', high: '1' } });
    expect(await bad.isValid()).toBe(false);
    expect(bad.nonFieldErrors()[0]?.message).toBe('Low must not exceed high.');
    expect(await new Range({ data: { low: 'x', high: '1' } }).isValid()).toBe(false);
    expect(ran).toBe(1);
  });

  it('form-wide message overrides apply to every field', async () => {
    const Polite = form({ a: fields.char(), b: fields.integer() }, { messages: { required: 'Please fill in {field}.' } });
    const polite = new Polite({ data: {} });
    await polite.isValid();
    expect(polite.errors.messages('a')).toEqual(['Please fill in {field}.']);
  });
});

describe('initial data, prefixes, disabled fields, changes', () => {
  it('shows initial values in an unbound form, the data in a bound one', () => {
    const Settings = form({ name: fields.char({ initial: 'field default' }), count: fields.integer({ initial: () => 3 }) });
    const unbound = new Settings({ initial: { name: 'form initial' } });
    expect(unbound.fields.name.value).toBe('form initial');
    expect(unbound.fields.count.value).toBe('3');
    const bound = new Settings({ data: { name: 'typed' }, initial: { name: 'form initial' } });
    expect(bound.fields.name.value).toBe('typed');
    expect(bound.fields.count.value).toBeNull();
  });

  it('prefixes HTML names and ids, and reads prefixed data', async () => {
    const contact = new Contact({ prefix: 'c1', data: { 'c1-name': 'Ann', 'c1-email': 'a@example.com', name: 'wrong' } });
    expect(contact.fields.name.htmlName).toBe('c1-name');
    expect(contact.fields.name.id).toBe('id_c1-name');
    expect(await contact.isValid()).toBe(true);
    expect(contact.cleanedData.name).toBe('Ann');
  });

  it('a disabled field keeps its initial value whatever is sent', async () => {
    const Account = form({ username: fields.char({ disabled: true }), bio: fields.text({ required: false }) });
    const account = new Account({ data: { username: 'hacker', bio: 'hi' }, initial: { username: 'ann' } });
    expect(await account.isValid()).toBe(true);
    expect(account.cleanedData.username).toBe('ann');
    expect(account.changedData).toEqual(['bio']);
  });

  it('reports which fields changed', () => {
    const contact = new Contact({ data: { name: 'Ann', email: 'x@example.com', age: '' }, initial: { name: 'Ann', age: null } });
    expect(contact.changedData).toEqual(['email']);
    expect(contact.hasChanged()).toBe(true);
  });

  it('an empty-permitted form that was not touched is valid and empty', async () => {
    const extra = new Contact({ data: {}, emptyPermitted: true });
    expect(await extra.isValid()).toBe(true);
    expect(extra.cleanedData).toEqual({});
    const touched = new Contact({ data: { name: 'x' }, emptyPermitted: true });
    expect(await touched.isValid()).toBe(false);
  });
});
