import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UploadedFile } from '@atrium/core';
import { ValidationError, fields, FILE_CLEARED } from '../src/index.js';
import { cleaned, cleanOne, codes } from './support/clean-one.js';
import { GIF_BYTES, JPEG_BYTES, PNG_BYTES, WEBP_BYTES, upload } from './support/uploads.js';

const HUGE = 'a'.repeat(5_000_000);
/** JSON shapes a scalar field must refuse with an error, never an exception. */
const WRONG_SHAPES: unknown[] = [['a', 'b'], { a: 1 }, { __proto__: { polluted: true } }, true];

describe('char field', () => {
  it('trims, and gives the text', async () => {
    expect(await cleaned(fields.char(), '  Ann  ')).toBe('Ann');
    expect(await cleaned(fields.char({ strip: false }), '  Ann  ')).toBe('  Ann  ');
  });

  it('requires a value unless required: false, then gives "" or emptyValue', async () => {
    expect(await codes(fields.char(), '   ')).toEqual(['required']);
    expect(await codes(fields.char(), undefined)).toEqual(['required']);
    expect(await cleaned(fields.char({ required: false }), '')).toBe('');
    expect(await cleaned(fields.char({ required: false, emptyValue: null }), '  ')).toBeNull();
  });

  it('checks maxLength and minLength with the lengths in the message', async () => {
    const outcome = await cleanOne(fields.char({ maxLength: 3 }), 'abcdef');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.codes).toEqual(['max_length']);
      expect(outcome.errors[0]!.params).toEqual({ max: 3, length: 6 });
      expect(outcome.errors[0]!.message).toBe('Ensure this value has at most 3 characters (it has 6).');
    }
    expect(await codes(fields.char({ minLength: 3 }), 'ab')).toEqual(['min_length']);
  });

  it('bounds huge strings: a 5 MB value is an error found quickly', async () => {
    const started = performance.now();
    expect(await codes(fields.char({ maxLength: 100 }), HUGE)).toEqual(['max_length']);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses NUL characters and lone surrogates, accepts U+FFFD from invalid UTF-8', async () => {
    expect(await codes(fields.char(), 'a\u0000b')).toEqual(['null_characters']);
    expect(await codes(fields.char(), 'a\ud800b')).toEqual(['invalid_unicode']);
    expect(await codes(fields.char(), '\udc00')).toEqual(['invalid_unicode']);
    expect(await cleaned(fields.char(), 'caf\ufffd')).toBe('caf\ufffd');
    expect(await cleaned(fields.char(), '😀 emoji')).toBe('😀 emoji');
  });

  it.each(WRONG_SHAPES)('refuses the wrong JSON shape %j with an error', async (raw) => {
    expect(await codes(fields.char(), raw)).toEqual(['invalid']);
  });

  it('refuses numbers: text fields take text', async () => {
    expect(await codes(fields.char(), 42)).toEqual(['invalid']);
  });
});

describe('text, email, url, slug, hidden, password fields', () => {
  it('text keeps line breaks inside and uses a textarea', async () => {
    expect(await cleaned(fields.text(), '\nline 1\nline 2\n')).toBe('line 1\nline 2');
    expect(fields.text().widget.templateName).toBe('forms/widgets/textarea.html');
  });

  it('email validates the address and bounds the length', async () => {
    expect(await cleaned(fields.email(), ' ann@example.com ')).toBe('ann@example.com');
    for (const bad of ['ann', 'ann@', '@example.com', 'ann@example', 'a b@example.com', 'ann@-x.com']) {
      expect(await codes(fields.email(), bad), bad).toEqual(['invalid_email']);
    }
    expect(await codes(fields.email(), `${'a'.repeat(300)}@example.com`)).toEqual(['max_length']);
    expect(await codes(fields.email(), HUGE + '@example.com')).toEqual(['max_length']);
  });

  it('url accepts http(s), adds a scheme, refuses others', async () => {
    expect(await cleaned(fields.url(), 'https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(await cleaned(fields.url(), 'example.com/path')).toBe('https://example.com/path');
    expect(await cleaned(fields.url({ assumeScheme: 'http' }), 'example.com')).toBe('http://example.com');
    expect(await codes(fields.url(), 'javascript:alert(1)')).toEqual(['invalid_url']);
    expect(await codes(fields.url(), 'ftp://example.com')).toEqual(['invalid_url']);
    expect(await codes(fields.url(), 'http://')).toEqual(['invalid_url']);
    expect(await codes(fields.url(), `https://example.com/${HUGE}`)).toEqual(['invalid_url']);
  });

  it('slug allows letters, digits, - and _', async () => {
    expect(await cleaned(fields.slug(), 'hello-world_2')).toBe('hello-world_2');
    expect(await codes(fields.slug(), 'hello world')).toEqual(['invalid_slug']);
  });

  it('hidden is text in a hidden input', async () => {
    expect(await cleaned(fields.hidden(), 'token')).toBe('token');
    expect(fields.hidden().widget.isHidden).toBe(true);
  });

  it('password is not trimmed', async () => {
    expect(await cleaned(fields.password(), ' secret ')).toBe(' secret ');
  });
});

describe('integer and float fields', () => {
  it('coerces text and JSON numbers', async () => {
    expect(await cleaned(fields.integer(), '42')).toBe(42);
    expect(await cleaned(fields.integer(), ' -7 ')).toBe(-7);
    expect(await cleaned(fields.integer(), '3.0')).toBe(3);
    expect(await cleaned(fields.integer(), 12)).toBe(12);
    expect(await cleaned(fields.integer({ required: false }), '')).toBeNull();
  });

  it('refuses what is not a whole number', async () => {
    for (const bad of ['4.5', '1e3', 'abc', '0x10', '--1', 4.5, Number.NaN, '9007199254740993', '9'.repeat(1000), true, [1], { n: 1 }]) {
      expect(await codes(fields.integer(), bad), String(bad)).toEqual(['invalid_integer']);
    }
  });

  it('checks min and max', async () => {
    const field = fields.integer({ min: 1, max: 10 });
    expect(await codes(field, '0')).toEqual(['min_value']);
    const outcome = await cleanOne(field, '11');
    expect(!outcome.ok && outcome.errors[0]!.message).toBe('Ensure this value is less than or equal to 10.');
  });

  it('float parses decimals and exponents, refuses infinities', async () => {
    expect(await cleaned(fields.float(), '1.5')).toBe(1.5);
    expect(await cleaned(fields.float(), '-2e3')).toBe(-2000);
    expect(await codes(fields.float(), '1e400')).toEqual(['invalid_number']);
    expect(await codes(fields.float(), 'Infinity')).toEqual(['invalid_number']);
  });
});

describe('decimal field', () => {
  const price = () => fields.decimal({ maxDigits: 6, decimalPlaces: 2, min: '0' });

  it('keeps exact text and pads to decimalPlaces', async () => {
    expect(await cleaned(price(), '12.5')).toBe('12.50');
    expect(await cleaned(price(), '0012.30')).toBe('12.30');
    expect(await cleaned(price(), '.5')).toBe('0.50');
    expect(await cleaned(fields.decimal(), 0.1)).toBe('0.1');
    expect(await cleaned(fields.decimal(), '-0.000')).toBe('0');
  });

  it('counts digits and places', async () => {
    expect(await codes(price(), '1.234')).toEqual(['max_decimal_places']);
    expect(await codes(price(), '12345.6')).toEqual(['max_whole_digits']);
    expect(await codes(price(), '12345.678')).toEqual(['max_digits', 'max_decimal_places', 'max_whole_digits']);
    expect(await codes(price(), '-1')).toEqual(['min_value']);
    expect(await codes(fields.decimal({ max: '9.99' }), '10')).toEqual(['max_value']);
  });

  it('refuses what is not a decimal, also huge text', async () => {
    for (const bad of ['1e5', '1,5', '.', 'NaN', '1.2.3', '9'.repeat(2000), [], {}]) {
      expect(await codes(price(), bad), String(bad).slice(0, 20)).toEqual(['invalid_number']);
    }
  });
});

describe('boolean fields', () => {
  it('reads checkbox data: missing is false, on/true/1 is true', async () => {
    const field = fields.boolean();
    expect(await cleaned(field, undefined)).toBe(false);
    expect(await cleaned(field, 'on')).toBe(true);
    expect(await cleaned(field, 'false')).toBe(false);
    expect(await cleaned(field, true)).toBe(true);
    expect(await cleaned(field, 0)).toBe(false);
  });

  it('required means it must be checked', async () => {
    expect(await codes(fields.boolean({ required: true }), undefined)).toEqual(['required']);
    expect(await cleaned(fields.boolean({ required: true }), 'on')).toBe(true);
  });

  it('refuses JSON objects and arrays', async () => {
    expect(await codes(fields.boolean(), { yes: true })).toEqual(['invalid_boolean']);
    expect(await codes(fields.boolean(), [true])).toEqual(['invalid_boolean']);
  });

  it('nullBoolean gives true, false or null', async () => {
    expect(await cleaned(fields.nullBoolean(), 'true')).toBe(true);
    expect(await cleaned(fields.nullBoolean(), 'false')).toBe(false);
    expect(await cleaned(fields.nullBoolean(), 'unknown')).toBeNull();
    expect(await codes(fields.nullBoolean(), 'maybe')).toEqual(['invalid_boolean']);
  });
});

describe('choice fields', () => {
  const status = () => fields.choice([['d', 'Draft'], ['l', 'Live']]);

  it('gives the chosen value', async () => {
    expect(await cleaned(status(), 'l')).toBe('l');
    expect(await codes(status(), '')).toEqual(['required']);
    expect(await cleaned(fields.choice(['a', 'b'], { required: false }), '')).toBeNull();
  });

  it('refuses values not offered, naming them', async () => {
    const outcome = await cleanOne(status(), 'x');
    expect(!outcome.ok && outcome.errors[0]).toMatchObject({ code: 'invalid_choice', params: { value: 'x' } });
    expect(await codes(status(), ['d'])).toEqual(['invalid_choice']);
    expect(await codes(status(), { d: 1 })).toEqual(['invalid_choice']);
  });

  it('keeps numeric choices numeric, from text or JSON', async () => {
    const field = fields.choice([[1, 'One'], [2, 'Two']]);
    expect(await cleaned(field, '2')).toBe(2);
    expect(await cleaned(field, 1)).toBe(1);
  });

  it('multipleChoice gives a de-duplicated list', async () => {
    const colours = fields.multipleChoice(['red', 'green', 'blue']);
    expect(await cleaned(colours, ['red', 'blue', 'red'])).toEqual(['red', 'blue']);
    expect(await cleaned(colours, 'green')).toEqual(['green']);
    expect(await codes(colours, [])).toEqual(['required']);
    expect(await cleaned(fields.multipleChoice(['a'], { required: false }), [])).toEqual([]);
    expect(await codes(colours, ['red', 'pink'])).toEqual(['invalid_choice']);
  });

  it('multipleChoice refuses nested values and absurdly long lists', async () => {
    const colours = fields.multipleChoice(['red']);
    expect(await codes(colours, [['red']])).toEqual(['invalid_list']);
    expect(await codes(colours, [{ red: 1 }])).toEqual(['invalid_list']);
    expect(await codes(colours, Array.from({ length: 5000 }, () => 'red'))).toEqual(['invalid_list']);
    expect(await codes(fields.multipleChoice(['a', 'b', 'c'], { maxChoices: 2 }), ['a', 'b', 'c'])).toEqual(['max_choices']);
  });
});

describe('date and datetime fields', () => {
  it('date takes ISO dates that exist', async () => {
    expect(await cleaned(fields.date(), '2026-02-28')).toBe('2026-02-28');
    expect(await codes(fields.date(), '2026-02-30')).toEqual(['invalid_date']);
    expect(await codes(fields.date(), '28/02/2026')).toEqual(['invalid_date']);
    expect(await codes(fields.date(), HUGE)).toEqual(['invalid_date']);
    expect(await codes(fields.date(), 20260228)).toEqual(['invalid_date']);
    expect(await codes(fields.date({ min: '2026-01-01' }), '2025-12-31')).toEqual(['min_value']);
    expect(await codes(fields.date({ max: '2026-01-01' }), '2026-01-02')).toEqual(['max_value']);
  });

  it('datetime reads local times in the field zone', async () => {
    const utc = (await cleaned(fields.datetime(), '2026-07-01T12:30')) as Date;
    expect(utc.toISOString()).toBe('2026-07-01T12:30:00.000Z');
    const paris = (await cleaned(fields.datetime({ timeZone: 'Europe/Paris' }), '2026-07-01T12:30')) as Date;
    expect(paris.toISOString()).toBe('2026-07-01T10:30:00.000Z');
    const winter = (await cleaned(fields.datetime({ timeZone: 'Europe/Paris' }), '2026-01-15 08:00:05')) as Date;
    expect(winter.toISOString()).toBe('2026-01-15T07:00:05.000Z');
  });

  it('datetime honours an explicit offset', async () => {
    expect(((await cleaned(fields.datetime({ timeZone: 'Asia/Tokyo' }), '2026-07-01T12:30:00Z')) as Date).toISOString()).toBe('2026-07-01T12:30:00.000Z');
    expect(((await cleaned(fields.datetime(), '2026-07-01T12:30:00.250-02:00')) as Date).toISOString()).toBe('2026-07-01T14:30:00.250Z');
  });

  it('datetime refuses impossible values and checks bounds', async () => {
    for (const bad of ['2026-07-01T25:00', '2026-02-30T10:00', '2026-07-01', 'yesterday', '2026-07-01T10:00+99:00', HUGE]) {
      expect(await codes(fields.datetime(), bad), bad.slice(0, 20)).toEqual(['invalid_datetime']);
    }
    expect(await codes(fields.datetime({ min: new Date('2026-01-01T00:00:00Z') }), '2025-12-31T23:59')).toEqual(['min_value']);
  });

  it('datetime shows a Date back in its zone', () => {
    const field = fields.datetime({ timeZone: 'Europe/Paris' });
    expect(field.formatValue(new Date('2026-07-01T10:30:00Z'))).toBe('2026-07-01T12:30');
    expect(field.formatValue(new Date('2026-07-01T10:30:15Z'))).toBe('2026-07-01T12:30:15');
  });

  it('refuses an unknown time zone at declaration', () => {
    expect(() => fields.datetime({ timeZone: 'Mars/Olympus' })).toThrow(/IANA zone/);
  });
});

describe('file and image fields', () => {
  it('gives the uploaded file', async () => {
    const file = upload('notes.txt', 'hello');
    expect(await cleaned(fields.file(), undefined, { files: [file] })).toBe(file);
  });

  it('reports missing, empty, too large and wrong-extension files', async () => {
    expect(await codes(fields.file(), undefined)).toEqual(['required']);
    expect(await codes(fields.file(), undefined, { files: [upload('a.txt', '')] })).toEqual(['empty_file']);
    expect(await codes(fields.file({ maxSize: 3 }), undefined, { files: [upload('a.txt', 'hello')] })).toEqual(['file_too_large']);
    const outcome = await cleanOne(fields.file({ allowedExtensions: ['pdf'] }), undefined, { files: [upload('a.exe', 'MZ')] });
    expect(!outcome.ok && outcome.errors[0]).toMatchObject({ code: 'invalid_extension', params: { extension: 'exe', allowed: 'pdf' } });
    expect(await codes(fields.file(), undefined, { files: [upload('../..', 'x')] })).toEqual(['invalid_filename']);
  });

  it('refuses a text value sent where a file is expected', async () => {
    expect(await codes(fields.file(), 'C:\\fakepath\\a.txt')).toEqual(['missing_file']);
    expect(await codes(fields.file(), { name: 'a.txt' })).toEqual(['missing_file']);
  });

  it('optional: null when nothing is sent, false when cleared, an error for both', async () => {
    expect(await cleaned(fields.file({ required: false }), undefined)).toBeNull();
    const form = await import('../src/index.js').then((m) => m.form({ x: fields.file({ required: false }) }));
    const cleared = new form({ data: { 'x-clear': 'on' } });
    expect(await cleared.isValid()).toBe(true);
    expect(cleared.cleanedData.x).toBe(false);
    const both = new form({ data: { 'x-clear': 'on' }, files: new Map([['x', [upload('a.txt', 'x')]]]) });
    expect(await both.isValid()).toBe(false);
    expect(both.errors.get('x')[0]?.code).toBe('contradiction');
    expect(FILE_CLEARED).toBeTypeOf('symbol');
  });

  it('image accepts PNG, JPEG, GIF and WebP by their magic bytes', async () => {
    for (const [name, bytes] of [['a.png', PNG_BYTES], ['a.jpg', JPEG_BYTES], ['a.gif', GIF_BYTES], ['a.webp', WEBP_BYTES]] as const) {
      const file = upload(name, bytes, 'image/whatever');
      expect(await cleaned(fields.image(), undefined, { files: [file] })).toBeInstanceOf(UploadedFile);
    }
  });

  it('image refuses a file that only claims to be one', async () => {
    const fake = upload('evil.png', '<?php system($_GET["c"]); ?>', 'image/png');
    expect(await codes(fields.image(), undefined, { files: [fake] })).toEqual(['invalid_image']);
    expect(await codes(fields.image(), undefined, { files: [upload('tiny.png', Buffer.from([0x89, 0x50]))] })).toEqual(['invalid_image']);
  });
});

describe('validators and messages', () => {
  it('runs function validators and zod schemas on the cleaned value', async () => {
    const field = fields.char({
      validators: [(v) => (v === v.toUpperCase() ? { code: 'shouting', message: 'Please do not shout.' } : undefined), z.string().startsWith('x')],
    });
    expect(await cleaned(field, 'xyz')).toBe('xyz');
    const outcome = await cleanOne(field, 'ABC');
    expect(!outcome.ok && outcome.errors.map((e) => [e.code, e.message])).toEqual([
      ['shouting', 'Please do not shout.'],
      ['invalid', 'Enter a valid value.'],
    ]);
  });

  it('a validator may throw ValidationError or return a message', async () => {
    const field = fields.integer({
      validators: [
        (n) => {
          if (n % 2) throw new ValidationError({ code: 'odd', message: 'Even numbers only.' });
        },
        (n) => (n > 100 ? 'Too big.' : undefined),
      ],
    });
    expect(await codes(field, '3')).toEqual(['odd']);
    expect(await codes(field, '102')).toEqual(['invalid']);
  });

  it('overrides messages per field, keeping the code', async () => {
    const outcome = await cleanOne(fields.char({ maxLength: 2, messages: { max_length: 'At most {max}, please.' } }), 'abc');
    expect(!outcome.ok && outcome.errors[0]).toMatchObject({ code: 'max_length', message: 'At most 2, please.' });
  });
});
