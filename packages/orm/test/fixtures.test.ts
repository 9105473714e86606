import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { ImproperlyConfigured } from '@atrium/core';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { connection } from '../src/db/connections.js';
import { FieldError, IntegrityError } from '../src/errors.js';
import { dumpData } from '../src/testing/dump-data.js';
import { loadData } from '../src/testing/load-data.js';
import type { FixtureObject } from '../src/testing/fixture-values.js';
import { loaddata } from '../src/commands/loaddata.js';
import { dumpdata } from '../src/commands/dumpdata.js';
import { forEachDatabase } from './support/databases.js';

const Author = model('fixt.Author', {
  name: f.string({ maxLength: 50 }),
  born: f.date({ null: true }),
  avatar: f.binary({ null: true }),
});
const Tag = model('fixt.Tag', { slug: f.slug({ primaryKey: true }) });
const Post = model('fixt.Post', {
  title: f.string({ maxLength: 100 }),
  price: f.decimal({ maxDigits: 10, decimalPlaces: 2 }),
  publishedAt: f.datetime({ null: true }),
  views: f.bigint({ default: 0n }),
  live: f.boolean({ default: false }),
  meta: f.json<{ tags?: string[] }>({ null: true }),
  author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
  tags: f.manyToMany(() => Tag, { relatedName: 'posts' }),
});

const fixture: FixtureObject[] = [
  // Out of dependency order on purpose: posts before their author.
  {
    model: 'fixt.post',
    pk: 1,
    fields: { title: "Ann's first", price: '12.50', publishedAt: '2026-03-01T10:15:30.123Z', views: '9007199254740993', live: true, meta: { tags: ['a'] }, author: 1, tags: ['orm', 'sql'] },
  },
  { model: 'fixt.post', pk: 2, fields: { title: 'Draft', price: '0.10', publishedAt: null, views: 3, live: false, meta: null, author: 1, tags: [] } },
  { model: 'fixt.author', pk: 1, fields: { name: 'Ann', born: '1990-02-28', avatar: Buffer.from([0, 1, 254, 255]).toString('base64') } },
  { model: 'fixt.tag', pk: 'orm', fields: {} },
  { model: 'fixt.tag', pk: 'sql', fields: {} },
];

forEachDatabase(
  'fixtures',
  (ctx) => {
    beforeEach(() => ctx.flush());

    it('loads in dependency order in one transaction and dumps it back identically', async () => {
      expect(await loadData(JSON.stringify(fixture))).toBe(5);
      const dumped = await dumpData([Author, Tag, Post]);
      expect(dumped).toEqual([
        { model: 'fixt.author', pk: 1, fields: { name: 'Ann', born: '1990-02-28', avatar: 'AAH+/w==' } },
        { model: 'fixt.tag', pk: 'orm', fields: {} },
        { model: 'fixt.tag', pk: 'sql', fields: {} },
        {
          model: 'fixt.post',
          pk: 1,
          fields: { title: "Ann's first", price: '12.50', publishedAt: '2026-03-01T10:15:30.123Z', views: '9007199254740993', live: true, meta: { tags: ['a'] }, author: 1, tags: ['orm', 'sql'] },
        },
        { model: 'fixt.post', pk: 2, fields: { title: 'Draft', price: '0.10', publishedAt: null, views: 3, live: false, meta: null, author: 1, tags: [] } },
      ]);
      // Round trip: flush, load the dump, dump again.
      await ctx.flush();
      await loadData(dumped);
      expect(await dumpData(['fixt'])).toEqual(dumped);
    });

    it('stores values in their exact database form', async () => {
      await loadData(fixture);
      const { rows } = await sql<{ price: string; views: unknown; born: string }>`select p.price, p.views, a.born from fixt_post p join fixt_author a on a.id = p.author_id where p.id = 1`.execute(ctx.kysely);
      expect(rows[0]!.price).toBe('12.50');
      expect(String(rows[0]!.views)).toBe('9007199254740993');
      expect(rows[0]!.born).toBe('1990-02-28');
    });

    it('updates rows that already exist and replaces many-to-many links', async () => {
      await loadData(fixture);
      await loadData([{ model: 'fixt.post', pk: 1, fields: { title: 'Renamed', price: '1.00', author: 1, tags: ['sql'] } }]);
      const post = (await dumpData([Post])).find((o) => o.pk === 1)!;
      expect(post.fields).toMatchObject({ title: 'Renamed', price: '1.00', tags: ['sql'], views: 0, live: false, publishedAt: null });
    });

    it('moves identity sequences past loaded ids, so the next insert works', async () => {
      await loadData(fixture);
      await sql`insert into fixt_author (name) values ('Next')`.execute(ctx.kysely);
      const { rows } = await sql<{ id: number }>`select id from fixt_author where name = 'Next'`.execute(ctx.kysely);
      expect(Number(rows[0]!.id)).toBe(2);
    });

    it('rolls back the whole fixture when one object fails', async () => {
      const broken: FixtureObject[] = [
        { model: 'fixt.author', pk: 1, fields: { name: 'Ann' } },
        { model: 'fixt.post', pk: 1, fields: { title: 'x', price: '1.00', author: 42 } },
      ];
      const error = await loadData(broken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).kind).toBe('foreignKey');
      expect((error as IntegrityError).fields).toEqual(['author']);
      expect(await dumpData([Author])).toEqual([]);
    });

    it('names unknown models and fields with a suggestion', async () => {
      await expect(loadData([{ model: 'fixt.auther', pk: 1, fields: {} }])).rejects.toThrow(/unknown model 'fixt.auther'; did you mean 'fixt.author'\?/);
      await expect(loadData([{ model: 'fixt.author', pk: 1, fields: { nmae: 'x' } }])).rejects.toThrow(FieldError);
      await expect(loadData([{ model: 'fixt.author', pk: 1, fields: { nmae: 'x' } }])).rejects.toThrow(/unknown field 'nmae'; did you mean 'name'\?/);
      await expect(loadData('{"not": "a list"}')).rejects.toThrow(ImproperlyConfigured);
      await expect(dumpData(['nope'])).rejects.toThrow(/No models are declared for app 'nope'/);
    });

    it('manage loaddata / dumpdata read and write fixture files', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'atrium-fixtures-'));
      try {
        writeFileSync(join(dir, 'data.json'), JSON.stringify(fixture));
        const out: string[] = [];
        const stream = new Writable({ write: (chunk, _enc, done) => (out.push(String(chunk)), done()) });
        const context = { project: null, cwd: dir, stdout: stream, stderr: stream };
        expect(await loaddata.run(context, ['data.json'], { database: 'default' })).toBe(0);
        expect(out.join('')).toBe('Installed 5 object(s) from 1 fixture(s)\n');
        out.length = 0;
        await dumpdata.run(context, ['fixt.Tag'], { database: 'default', indent: '2' });
        expect(JSON.parse(out.join(''))).toEqual([
          { model: 'fixt.tag', pk: 'orm', fields: {} },
          { model: 'fixt.tag', pk: 'sql', fields: {} },
        ]);
        expect(out.join('')).toContain('\n  {');
        await dumpdata.run(context, ['fixt'], { database: 'default', output: 'all.json' });
        expect(JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8'))).toHaveLength(5);
        await expect(Promise.resolve(loaddata.run(context, ['missing.json'], {}))).rejects.toThrow(/Cannot read fixture 'missing.json'/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('uses the connection dialect for value conversion', () => {
      expect(connection().dialect).toBe(ctx.dialect);
    });
  },
  { models: [Author, Tag, Post] },
);

afterAll(() => undefined);
