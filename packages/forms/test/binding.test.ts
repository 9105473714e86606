import { describe, expect, it } from 'vitest';
import { json, path, type HttpRequest } from '@atrium/core';
import { fields, form } from '../src/index.js';
import { testApp } from './support/app.js';
import { PNG_BYTES } from './support/uploads.js';

/** A JSON response body; its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const Profile = form({
  name: fields.char({ maxLength: 50 }),
  age: fields.integer({ required: false }),
  tags: fields.multipleChoice(['a', 'b', 'c'], { required: false }),
  subscribe: fields.boolean(),
  avatar: fields.image({ required: false }),
});

const Search = form({ q: fields.char({ required: false }), page: fields.integer({ required: false }) });

async function describeForm(request: HttpRequest) {
  const profile = await Profile.bind(request);
  const valid = await profile.isValid();
  const data = valid
    ? { ...profile.cleanedData, avatar: profile.cleanedData.avatar ? { filename: profile.cleanedData.avatar.filename, size: profile.cleanedData.avatar.size } : null }
    : null;
  return json({ bound: profile.isBound, valid, errors: profile.errors.toJSON(), data });
}

const { client } = await testApp([
  path('profile/', describeForm),
  path('search/', async (request) => {
    const search = await Search.bind(request, { query: true });
    return json({ bound: search.isBound, valid: await search.isValid(), data: (await search.isValid()) ? search.cleanedData : null });
  }),
]);

describe('binding request data', () => {
  it('a GET gives an unbound form (first display)', async () => {
    const body = await (await client.get('/profile/', { query: { name: 'ignored' } })).json<Body>();
    expect(body).toMatchObject({ bound: false, valid: false, errors: {} });
  });

  it('a GET with { query: true } binds the query string', async () => {
    const body = await (await client.get('/search/', { query: { q: 'forms', page: '2' } })).json<Body>();
    expect(body).toEqual({ bound: true, valid: true, data: { q: 'forms', page: 2 } });
  });

  it('binds an urlencoded body with repeated keys for lists', async () => {
    const response = await client.post('/profile/', { form: { name: ' Ann ', age: '41', tags: ['a', 'c'], subscribe: 'on' } });
    expect(await response.json<Body>()).toEqual({ bound: true, valid: true, errors: {}, data: { name: 'Ann', age: 41, tags: ['a', 'c'], subscribe: true, avatar: null } });
  });

  it('binds multipart fields and files', async () => {
    const response = await client.post('/profile/', {
      multipart: { fields: { name: 'Ann', tags: ['b'] }, files: [{ field: 'avatar', filename: 'me.png', content: PNG_BYTES, contentType: 'image/png' }] },
    });
    expect((await response.json<Body>()).data).toEqual({ name: 'Ann', age: null, tags: ['b'], subscribe: false, avatar: { filename: 'me.png', size: PNG_BYTES.length } });
  });

  it('refuses a multipart upload that is not an image', async () => {
    const response = await client.post('/profile/', {
      multipart: { fields: { name: 'Ann' }, files: [{ field: 'avatar', filename: 'me.png', content: '<svg onload=alert(1)>', contentType: 'image/png' }] },
    });
    const body = await response.json<Body>();
    expect(body.valid).toBe(false);
    expect(body.errors.avatar[0].code).toBe('invalid_image');
  });

  it('binds a JSON body with native types', async () => {
    const response = await client.post('/profile/', { json: { name: 'Ann', age: 41, tags: ['a'], subscribe: true } });
    expect((await response.json<Body>()).data).toEqual({ name: 'Ann', age: 41, tags: ['a'], subscribe: true, avatar: null });
  });
});

describe('hostile request data becomes errors, never a 500', () => {
  it('JSON arrays and objects where scalars are expected', async () => {
    const response = await client.post('/profile/', { json: { name: ['Ann', 'Bob'], age: { $gt: 1 }, tags: 'a', subscribe: [true] } });
    expect(response.status).toBe(200);
    const body = await response.json<Body>();
    expect(body.errors).toEqual({
      name: [{ code: 'invalid', message: 'Enter a valid value.', params: {} }],
      age: [{ code: 'invalid_integer', message: 'Enter a whole number.', params: {} }],
      subscribe: [{ code: 'invalid_boolean', message: 'Select true or false.', params: {} }],
    });
  });

  it('a JSON body that is not an object binds nothing', async () => {
    const body = await (await client.post('/profile/', { json: ['name', 'Ann'] })).json<Body>();
    expect(body.errors.name[0].code).toBe('required');
  });

  it('__proto__ and constructor keys in urlencoded, JSON and multipart bodies', async () => {
    const urlencoded = await client.post('/profile/', { body: '__proto__=x&constructor=y&name=Ann&__proto__[polluted]=1', contentType: 'application/x-www-form-urlencoded' });
    expect((await urlencoded.json<Body>()).data.name).toBe('Ann');
    const jsonBody = await client.post('/profile/', { body: '{"__proto__":{"polluted":1},"name":"Ann"}', contentType: 'application/json' });
    expect((await jsonBody.json<Body>()).valid).toBe(true);
    const multipart = await client.post('/profile/', { multipart: { fields: { __proto__: 'x', name: 'Ann' } as Record<string, string> } });
    expect((await multipart.json<Body>()).valid).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('repeated keys for a scalar field: the last value wins', async () => {
    const body = await (await client.post('/profile/', { form: { name: ['first', 'last'] } })).json<Body>();
    expect(body.data.name).toBe('last');
  });

  it('invalid percent-escapes and invalid UTF-8 bytes', async () => {
    const escapes = await client.post('/profile/', { body: 'name=%FF%FE%ZZ', contentType: 'application/x-www-form-urlencoded' });
    expect(escapes.status).toBe(200);
    expect((await escapes.json<Body>()).data.name).toBe('%FF%FE%ZZ');
    const raw = Buffer.concat([Buffer.from('name=caf'), Buffer.from([0xe9, 0xff])]);
    const bytes = await client.post('/profile/', { body: raw, contentType: 'application/x-www-form-urlencoded' });
    expect(bytes.status).toBe(200);
    expect((await bytes.json<Body>()).data.name).toMatch(/^caf/);
  });

  it('lone surrogates and NUL characters in JSON strings', async () => {
    const body = await (await client.post('/profile/', { body: '{"name":"a\\ud800b","age":"1\\u0000"}', contentType: 'application/json' })).json<Body>();
    expect(body.errors.name[0].code).toBe('invalid_unicode');
    expect(body.errors.age[0].code).toBe('invalid_integer');
  });

  it('a huge value is a max_length error', async () => {
    const body = await (await client.post('/profile/', { form: { name: 'x'.repeat(1_000_000) } })).json<Body>();
    expect(body.errors.name[0]).toMatchObject({ code: 'max_length', params: { max: 50, length: 1_000_000 } });
  });

  it('a text value sent for a file field (urlencoded) is an error', async () => {
    const body = await (await client.post('/profile/', { form: { name: 'Ann', avatar: 'C:\\fakepath\\me.png' } })).json<Body>();
    expect(body.errors.avatar[0].code).toBe('missing_file');
  });

  it('a malformed JSON body is the 400 core answers, not a 500', async () => {
    const response = await client.post('/profile/', { body: '{"name":', contentType: 'application/json' });
    expect(response.status).toBe(400);
  });
});
