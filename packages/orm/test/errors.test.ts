import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model, type AnyModel } from '../src/model/model.js';
import { closeDatabases, configureDatabases, connection } from '../src/db/connections.js';
import { translateDbError } from '../src/db/errors.js';
import { atomic, executor } from '../src/db/transaction.js';
import { DatabaseUnavailable, IntegrityError } from '../src/errors.js';
import { createTables } from '../src/schema/create-tables.js';
import { forEachDatabase } from './support/databases.js';

const Writer = model('errt.Writer', { name: f.string({ maxLength: 50, unique: true }), penName: f.string({ maxLength: 50, null: true, column: 'pen' }) });
const Book = model(
  'errt.Book',
  {
    title: f.string({ maxLength: 50 }),
    edition: f.integer(),
    price: f.decimal({ maxDigits: 6, decimalPlaces: 2 }),
    writer: f.foreignKey(() => Writer, { onDelete: 'PROTECT', relatedName: 'books' }),
  },
  {
    uniqueTogether: [['title', 'edition']],
    constraints: [{ kind: 'check', name: 'errt_book_price_gte_0', condition: { price: { gte: '0' } } }],
  },
);

/** Run a statement and return the translated error it raised. */
async function failure(run: () => Promise<unknown>, model?: AnyModel): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return translateDbError(error, model);
  }
  throw new Error('expected the statement to fail');
}

forEachDatabase(
  'translateDbError',
  (ctx) => {
    const insertBook = (values: { title?: string; edition?: number; price?: string; writer?: number }) =>
      sql`insert into errt_book (title, edition, price, writer_id) values (${values.title ?? 'T'}, ${values.edition ?? 1}, ${values.price ?? '1.00'}, ${values.writer ?? 1})`.execute(executor());

    beforeEach(async () => {
      await ctx.flush();
      await sql`insert into errt_writer (id, name) values (1, 'Ann')`.execute(ctx.kysely);
    });

    it('unique field -> IntegrityError kind unique naming the field and constraint', async () => {
      const error = await failure(() => sql`insert into errt_writer (id, name) values (5, 'Ann')`.execute(ctx.kysely), Writer);
      expect(error).toBeInstanceOf(IntegrityError);
      const e = error as IntegrityError;
      expect(e.kind).toBe('unique');
      expect(e.code).toBe('E_INTEGRITY_UNIQUE');
      expect(e.fields).toEqual(['name']);
      expect(e.constraint).toBe('errt_writer_name_key');
      expect(e.message).toBe("Unique constraint failed for errt.Writer on 'name' (errt_writer_name_key).");
    });

    it('unique together -> both fields', async () => {
      await insertBook({});
      const e = (await failure(() => insertBook({}), Book)) as IntegrityError;
      expect(e.kind).toBe('unique');
      expect(e.fields).toEqual(['title', 'edition']);
      expect(e.constraint).toBe('errt_book_title_edition_uniq');
    });

    it('finds the model from the table when none is passed', async () => {
      const e = (await failure(() => sql`insert into errt_writer (id, name) values (5, 'Ann')`.execute(ctx.kysely))) as IntegrityError;
      expect(e.fields).toEqual(['name']);
      expect(e.message).toMatch(/errt\.Writer/);
    });

    it('not null -> kind notNull with the field name (mapped from a custom column)', async () => {
      const e = (await failure(() => sql`insert into errt_writer (name) values (null)`.execute(ctx.kysely), Writer)) as IntegrityError;
      expect(e.kind).toBe('notNull');
      expect(e.code).toBe('E_INTEGRITY_NOT_NULL');
      expect(e.fields).toEqual(['name']);
      const noteless = model('errt.Strict', { pen: f.string({ maxLength: 5, column: 'pen_name' }) });
      await createTables([noteless]);
      const custom = (await failure(() => sql`insert into errt_strict (pen_name) values (null)`.execute(ctx.kysely), noteless)) as IntegrityError;
      expect(custom.fields).toEqual(['pen']);
    });

    it('check -> kind check with the constraint and its fields', async () => {
      const e = (await failure(() => insertBook({ price: '-5.00' }), Book)) as IntegrityError;
      expect(e.kind).toBe('check');
      expect(e.constraint).toBe('errt_book_price_gte_0');
      expect(e.fields).toEqual(['price']);
    });

    it('foreign key outside a transaction -> kind foreignKey naming the key', async () => {
      const e = (await failure(() => insertBook({ writer: 999 }), Book)) as IntegrityError;
      expect(e.kind).toBe('foreignKey');
      expect(e.code).toBe('E_INTEGRITY_FOREIGN_KEY');
      expect(e.fields).toEqual(['writer']);
    });

    it('foreign keys are checked at commit inside atomic() and reported with the field', async () => {
      const error = await atomic(async () => {
        await insertBook({ writer: 999 });
        // Deferred: the dangling row is accepted until commit, and can be fixed before it.
        return 'body finished';
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).kind).toBe('foreignKey');
      expect((error as IntegrityError).fields).toEqual(['writer']);
      expect((error as IntegrityError).constraint).toBe('errt_book_writer_id_fkey');
      const { rows } = await sql<{ n: number }>`select count(*) as n from errt_book`.execute(ctx.kysely);
      expect(Number(rows[0]!.n)).toBe(0);
      // Fixed before commit: fine.
      await atomic(async () => {
        await insertBook({ writer: 2 });
        await sql`insert into errt_writer (id, name) values (2, 'Bo')`.execute(executor());
      });
    });

    it('deleting a referenced row -> kind foreignKey', async () => {
      await insertBook({});
      const e = (await failure(() => sql`delete from errt_writer where id = 1`.execute(ctx.kysely), Writer)) as IntegrityError;
      expect(e.kind).toBe('foreignKey');
      if (ctx.dialect === 'postgres') expect(e.fields).toEqual(['writer']);
    });

    it('keeps row values out of the message (they stay in the cause)', async () => {
      const e = (await failure(() => sql`insert into errt_writer (id, name) values (5, 'Ann')`.execute(ctx.kysely), Writer)) as IntegrityError;
      expect(e.message).not.toMatch(/Ann/);
      expect(e.cause).toBeInstanceOf(Error);
    });

    it('reaches users of the query API translated', async () => {
      const error = await Writer.objects.create({ name: 'Ann' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).fields).toEqual(['name']);
      const dangling = await Book.objects.create({ title: 'X', edition: 1, price: '1.00', writer: 404 }).catch((e: unknown) => e);
      expect(dangling).toBeInstanceOf(IntegrityError);
      expect((dangling as IntegrityError).kind).toBe('foreignKey');
    });

    it('returns other errors unchanged', async () => {
      const original = await sql`select * from no_such_table`.execute(ctx.kysely).catch((e: unknown) => e as Error);
      expect(translateDbError(original)).toBe(original);
    });
  },
  { models: [Writer, Book] },
);

describe('SQLite busy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-busy-'));
  const other = new Database(join(dir, 'busy.sqlite3'));
  afterAll(async () => {
    other.close();
    await closeDatabases(['busy']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write blocked past busyTimeout by another process -> DatabaseUnavailable', async () => {
    configureDatabases({ busy: { ENGINE: 'sqlite', NAME: 'busy.sqlite3', OPTIONS: { busyTimeout: 30 } } }, dir);
    const { kysely } = connection('busy');
    await sql`create table t (x integer)`.execute(kysely);
    other.exec('begin immediate');
    try {
      const started = Date.now();
      const error = await failure(() => sql`insert into t values (1)`.execute(kysely));
      expect(error).toBeInstanceOf(DatabaseUnavailable);
      expect((error as DatabaseUnavailable).status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
      await expect(atomic(async () => 1, { using: 'busy' })).rejects.toBeInstanceOf(DatabaseUnavailable);
    } finally {
      other.exec('rollback');
    }
    await sql`insert into t values (1)`.execute(kysely);
  });
});

describe('SQLite that cannot write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-full-'));
  afterAll(async () => {
    await closeDatabases(['full', 'readonly']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a full database (max_page_count reached) -> DatabaseUnavailable naming the cause, and the data stays intact', async () => {
    configureDatabases({ full: { ENGINE: 'sqlite', NAME: 'full.sqlite3', OPTIONS: {} } }, dir);
    const { kysely } = connection('full');
    await sql`create table t (x text)`.execute(kysely);
    await sql`insert into t values ('kept')`.execute(kysely);
    const pages = Number(((await sql<{ page_count: number }>`pragma page_count`.execute(kysely)).rows[0] as { page_count: number }).page_count);
    await sql.raw(`pragma max_page_count = ${pages + 1}`).execute(kysely);
    const error = await failure(() => atomic(async () => {
      for (let i = 0; i < 50; i++) await sql`insert into t values (${'x'.repeat(4000)})`.execute(kysely);
    }, { using: 'full' }));
    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect((error as DatabaseUnavailable).status).toBe(503);
    expect((error as Error).message).toContain('disk is full');
    expect((error as Error).message).toContain('SQLITE_FULL');
    // The transaction rolled back whole: the old row is there, none of the new ones, and the file is sound.
    expect((await sql<{ x: string }>`select x from t`.execute(kysely)).rows).toEqual([{ x: 'kept' }]);
    expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(kysely)).rows).toEqual([{ integrity_check: 'ok' }]);
  });

  it('a read-only database -> DatabaseUnavailable naming the cause; reads still work', async () => {
    configureDatabases({ readonly: { ENGINE: 'sqlite', NAME: 'full.sqlite3', OPTIONS: { readonly: true } } }, dir);
    const { kysely } = connection('readonly');
    const error = await failure(() => sql`insert into t values ('no')`.execute(kysely));
    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect((error as Error).message).toContain('read-only');
    expect((await sql<{ x: string }>`select x from t`.execute(kysely)).rows).toEqual([{ x: 'kept' }]);
  });
});

describe('translateDbError on connection errors', () => {
  it.each([
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['admin shutdown 57P01', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['08006 connection failure', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['AggregateError of refusals', Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'all failed'), {})],
  ])('%s -> DatabaseUnavailable', (_name, error) => {
    const translated = translateDbError(error);
    expect(translated).toBeInstanceOf(DatabaseUnavailable);
    expect(translated.cause).toBe(error);
  });
});
