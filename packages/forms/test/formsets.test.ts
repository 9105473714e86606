import { describe, expect, expectTypeOf, it } from 'vitest';
import { path, json } from '@atrium/core';
import { fields, form, formset, FormNotValidated, ValidationError, Formset, type FormsetOptions } from '../src/index.js';
import { testApp } from './support/app.js';

/** A JSON response body; its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const LineForm = form({ item: fields.char({ maxLength: 50 }), qty: fields.integer({ min: 1 }) }, { name: 'LineForm' });

function management(total: number | string, initial: number | string = 0, prefix = 'form'): Record<string, string> {
  return { [`${prefix}-TOTAL_FORMS`]: String(total), [`${prefix}-INITIAL_FORMS`]: String(initial) };
}

function lines(options: FormsetOptions = {}) {
  return formset(LineForm, options);
}

describe('unbound formsets', () => {
  it('show initial forms plus extra, within min and max', () => {
    const Lines = lines({ extra: 2 });
    const unbound = new Lines({ initial: [{ item: 'tea', qty: 1 }] });
    expect(unbound.forms).toHaveLength(3);
    expect(unbound.initialForms).toHaveLength(1);
    expect(unbound.forms[0]!.fields.item.value).toBe('tea');
    expect(unbound.forms[2]!.fields.item.htmlName).toBe('form-2-item');
    expect(new (lines({ extra: 0, min: 3 }))().forms).toHaveLength(3);
    expect(new (lines({ extra: 5, max: 2 }))().forms).toHaveLength(2);
    expect(new (lines({ extra: 1, max: 1 }))({ initial: [{}, {}] }).forms).toHaveLength(2);
  });

  it('render the management form, every form and an empty form template', () => {
    const Lines = lines({ extra: 1, canDelete: true });
    const markup = new Lines({ initial: [{ item: 'tea', qty: 2 }] }).render().val;
    expect(markup).toContain('<input type="hidden" name="form-TOTAL_FORMS" value="2" id="id_form-TOTAL_FORMS">');
    expect(markup).toContain('<input type="hidden" name="form-INITIAL_FORMS" value="1" id="id_form-INITIAL_FORMS">');
    expect(markup).toContain('<input type="hidden" name="form-MAX_NUM_FORMS" value="1000" id="id_form-MAX_NUM_FORMS">');
    expect(markup).toContain('name="form-0-item" value="tea"');
    expect(markup).toContain('name="form-1-DELETE"');
    // Forms in a formset do not put `required` on elements: an untouched extra row must stay submittable.
    expect(markup).not.toMatch(/name="form-1-item"[^>]* required/);
    const empty = new Lines().emptyForm;
    expect(empty.fields.item.htmlName).toBe('form-__prefix__-item');
  });
});

describe('bound formsets', () => {
  it('validate each form and give the cleaned data of the filled ones', async () => {
    const Lines = lines({ extra: 2 });
    const bound = new Lines({ data: { ...management(3), 'form-0-item': 'tea', 'form-0-qty': '2', 'form-1-item': 'milk', 'form-1-qty': '1' } });
    expect(await bound.isValid()).toBe(true);
    expect(bound.cleanedData).toEqual([
      { item: 'tea', qty: 2 },
      { item: 'milk', qty: 1 },
    ]);
    expectTypeOf(bound.cleanedData).toEqualTypeOf<Array<{ item: string; qty: number }>>();
  });

  it('report errors per form', async () => {
    const Lines = lines();
    const bound = new Lines({ data: { ...management(2), 'form-0-item': 'tea', 'form-0-qty': '0', 'form-1-item': 'x' } });
    expect(await bound.isValid()).toBe(false);
    expect(bound.errors[0]!.toJSON()).toEqual({ qty: [{ code: 'min_value', message: 'Ensure this value is greater than or equal to 1.', params: { min: 1 } }] });
    expect(bound.errors[1]!.get('qty')[0]?.code).toBe('required');
    expect(() => bound.cleanedData).toThrow(/invalid/);
  });

  it('add rows by raising TOTAL_FORMS', async () => {
    const Lines = lines({ extra: 0 });
    const data = { ...management(3, 1), 'form-0-item': 'tea', 'form-0-qty': '1', 'form-1-item': 'jam', 'form-1-qty': '1', 'form-2-item': 'bread', 'form-2-qty': '2' };
    const bound = new Lines({ data, initial: [{ item: 'tea', qty: 1 }] });
    expect(await bound.isValid()).toBe(true);
    expect(bound.cleanedData.map((line) => line.item)).toEqual(['tea', 'jam', 'bread']);
    expect(bound.extraForms).toHaveLength(2);
  });

  it('delete rows with the DELETE box, even invalid ones', async () => {
    const Lines = lines({ canDelete: true });
    const data = {
      ...management(3, 2),
      'form-0-item': 'tea',
      'form-0-qty': '1',
      'form-1-item': '',
      'form-1-qty': 'garbage',
      'form-1-DELETE': 'on',
      'form-2-item': 'jam',
      'form-2-qty': '3',
    };
    const bound = new Lines({ data, initial: [{ item: 'tea', qty: 1 }, { item: 'old', qty: 9 }] });
    expect(await bound.isValid()).toBe(true);
    expect(bound.deletedForms).toEqual([bound.forms[1]]);
    expect(bound.cleanedData.map((line) => line.item)).toEqual(['tea', 'jam']);
  });

  it('order rows with the ORDER field', async () => {
    const Lines = lines({ canOrder: true, extra: 0 });
    const data = { ...management(3), 'form-0-item': 'c', 'form-0-qty': '1', 'form-0-ORDER': '3', 'form-1-item': 'a', 'form-1-qty': '1', 'form-1-ORDER': '1', 'form-2-item': 'b', 'form-2-qty': '1' };
    const bound = new Lines({ data });
    expect(await bound.isValid()).toBe(true);
    expect(bound.orderedForms.map((f) => f.cleanedData.item)).toEqual(['a', 'c', 'b']);
  });

  it('min and max count filled forms, with clear errors', async () => {
    const AtLeastTwo = lines({ min: 2, extra: 0 });
    const few = new AtLeastTwo({ data: { ...management(2), 'form-0-item': 'tea', 'form-0-qty': '1' } });
    expect(await few.isValid()).toBe(false);
    // The second form is within the minimum: it may not be left empty, and the count is short.
    expect(few.errors[1]!.get('item')[0]?.code).toBe('required');
    expect(few.nonFormErrors().map((e) => e.message)).toEqual(['Please submit at least 2 forms.']);
    const AtLeastOne = lines({ min: 1 });
    const none = new AtLeastOne({ data: { ...management(1), 'form-0-item': '', 'form-0-qty': '' } });
    expect(none.forms[0]!.emptyPermitted).toBe(false);
    const NoneRequired = lines({ min: 2, extra: 3 });
    const oneFilled = new NoneRequired({ data: { ...management(3), 'form-0-item': 'tea', 'form-0-qty': '1' } });
    expect(await oneFilled.isValid()).toBe(false);
    const AtMostTwo = lines({ max: 2, extra: 0 });
    const many = new AtMostTwo({ data: { ...management(3), ...Object.fromEntries([0, 1, 2].flatMap((i) => [[`form-${i}-item`, 'x'], [`form-${i}-qty`, '1']])) } });
    expect(await many.isValid()).toBe(false);
    expect(many.nonFormErrors()).toEqual([{ code: 'too_many_forms', params: { max: 2 }, message: 'Please submit at most 2 forms.' }]);
    expect(many.render().val).toContain('<ul class="errorlist nonform" role="alert"><li>Please submit at most 2 forms.</li></ul>');
  });

  it('a deleted row does not count towards min', async () => {
    const AtLeastOne = lines({ min: 1, canDelete: true, extra: 0 });
    const data = { ...management(1, 1), 'form-0-item': 'tea', 'form-0-qty': '1', 'form-0-DELETE': 'on' };
    const bound = new AtLeastOne({ data, initial: [{ item: 'tea', qty: 1 }] });
    expect(await bound.isValid()).toBe(false);
    expect(bound.nonFormErrors()[0]).toMatchObject({ code: 'too_few_forms', message: 'Please submit at least 1 forms.' });
  });

  it('clean() checks across forms', async () => {
    class UniqueLines extends formset(LineForm, { extra: 0 }) {
      protected override clean(forms: ReadonlyArray<InstanceType<typeof LineForm>>) {
        const items = forms.map((f) => f.cleanedData.item);
        if (new Set(items).size !== items.length) throw new ValidationError({ code: 'duplicate', message: 'Each item once, please.' });
      }
    }
    const bound = new UniqueLines({ data: { ...management(2), 'form-0-item': 'tea', 'form-0-qty': '1', 'form-1-item': 'tea', 'form-1-qty': '2' } });
    expect(await bound.isValid()).toBe(false);
    expect(bound.nonFormErrors().map((e) => e.code)).toEqual(['duplicate']);
  });

  it('cleanedData before validation is an error', () => {
    const bound = new (lines())({ data: management(0) });
    expect(() => bound.cleanedData).toThrow(FormNotValidated);
  });
});

describe('hostile management data', () => {
  const Lines = lines({ max: 5 });

  it.each([
    ['missing', {}],
    ['negative', management(-1)],
    ['not a number', management('abc')],
    ['a float', management('1.5')],
    ['an exponent', management('1e9')],
    ['an array in JSON', { 'form-TOTAL_FORMS': ['1', '2'], 'form-INITIAL_FORMS': '0' }],
  ])('%s TOTAL_FORMS is a management error, with no forms built', async (_label, data) => {
    const bound = new Lines({ data: data as Record<string, unknown> });
    expect(bound.forms).toHaveLength(0);
    expect(await bound.isValid()).toBe(false);
    expect(bound.nonFormErrors()[0]?.code).toBe('management_form');
    expect(bound.nonFormErrors()[0]?.message).toMatch(/ManagementForm data is missing or has been tampered with/);
  });

  it('a huge TOTAL_FORMS builds at most absoluteMax forms and is refused', async () => {
    const bound = new Lines({ data: management('99999999999999999999999') });
    expect(bound.forms).toHaveLength(1005);
    expect(await bound.isValid()).toBe(false);
    expect(bound.nonFormErrors().map((e) => e.code)).toContain('too_many_forms_total');
    const Capped = lines({ absoluteMax: 10 });
    const capped = new Capped({ data: management(1_000_000) });
    expect(capped.forms).toHaveLength(10);
    expect(capped.totalFormCount()).toBe(10);
  });

  it('INITIAL_FORMS above TOTAL_FORMS is clamped', () => {
    const bound = new Lines({ data: management(2, 50) });
    expect(bound.initialFormCount()).toBe(2);
  });

  it('a custom prefix keeps formsets apart', async () => {
    const bound = new Lines({ prefix: 'lines', data: { ...management(1, 0, 'lines'), 'lines-0-item': 'tea', 'lines-0-qty': '1', ...management(9) } });
    expect(await bound.isValid()).toBe(true);
    expect(bound.cleanedData).toEqual([{ item: 'tea', qty: 1 }]);
  });
});

describe('formsets over HTTP', () => {
  it('bind a request body and report as JSON', async () => {
    const Lines = lines({ canDelete: true });
    const { client } = await testApp([
      path('lines/', async (request) => {
        const bound = await Lines.bind(request);
        const valid = await bound.isValid();
        return json({ valid, lines: valid ? bound.cleanedData : null, errors: bound.errors.map((e) => e.toJSON()), formErrors: bound.nonFormErrors() });
      }),
    ]);
    const response = await client.post('/lines/', { form: { ...management(2), 'form-0-item': 'tea', 'form-0-qty': '2', 'form-1-item': 'x', 'form-1-qty': '1', 'form-1-DELETE': 'on' } });
    expect(await response.json<Body>()).toMatchObject({ valid: true, lines: [{ item: 'tea', qty: 2 }] });
    const tampered = await client.post('/lines/', { json: { 'form-TOTAL_FORMS': { length: 1e9 } } });
    expect(tampered.status).toBe(200);
    expect((await tampered.json<Body>()).formErrors[0].code).toBe('management_form');
    expect(Lines.prototype).toBeInstanceOf(Formset);
  });
});
