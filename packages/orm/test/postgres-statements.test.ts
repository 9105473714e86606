import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabases, configureDatabases, connection } from '../src/db/connections.js';
import { captureQueries, queryCount } from '../src/db/query-counter.js';
import { atomic } from '../src/db/transaction.js';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { adminQuery, postgresAvailable, postgresSettings } from './support/databases.js';

const Gadget = model('pgstmt.Gadget', { label: f.string({ maxLength: 50 }), size: f.integer() }, { table: 'gadget' });

/** Names of the statements prepared on the pool's one connection, by their text. */
async function prepared(alias: string): Promise<Map<string, string>> {
  const { rows } = await connection(alias).pool!.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements');
  return new Map(rows.map((row) => [row.statement, row.name]));
}

describe.skipIf(!postgresAvailable())('PostgreSQL named prepared statements', () => {
  const schema = `atrium_pgstmt_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
  beforeAll(async () => {
    await adminQuery(`create schema "${schema}"`);
    await adminQuery(`create table "${schema}".gadget (id serial primary key, label varchar(50) not null, size integer not null)`);
    await adminQuery(`insert into "${schema}".gadget (label, size) values ('a', 1), ('b', 2), ('c', 3)`);
    // One connection, so pg_prepared_statements shows what the ORM's queries prepared.
    configureDatabases({ default: postgresSettings(schema, { max: 1 }) }, process.cwd(), { replace: true });
  });
  afterAll(async () => {
    await closeDatabases(['default']);
    await adminQuery(`drop schema if exists "${schema}" cascade`);
  });

  it('runs a queryset shape that recurs as one named statement, bound with new values each time', async () => {
    const first = await Gadget.objects.get({ id: 1 });
    const second = await Gadget.objects.get({ id: 2 });
    expect([first.label, second.label]).toEqual(['a', 'b']);
    // get() on the primary key needs no LIMIT: its text is the filter's.
    const { sql: text } = Gadget.objects.filter({ id: 1 }).toSql();
    const names = await prepared('default');
    expect(names.get(text)).toMatch(/^atrium_\d+$/);
    // Both lookups used that one statement: no second name for the same text.
    expect([...names.keys()].filter((statement) => statement === text)).toHaveLength(1);
  });

  it('counts each statement for captureQueries() as the executor path does', async () => {
    const { queries } = await captureQueries(() => Gadget.objects.filter({ size: { gte: 2 } }).orderBy('id'));
    expect(queries).toHaveLength(1);
    expect(queries[0]!.parameters).toEqual([2]);
  });

  it('prepares the text again when the table changed under it (cached plan must not change result type)', async () => {
    await Gadget.objects.get({ id: 3 });
    await adminQuery(`alter table "${schema}".gadget add column extra integer`);
    const gadget = await Gadget.objects.get({ id: 3 });
    expect(gadget.label).toBe('c');
    await adminQuery(`alter table "${schema}".gadget drop column extra`);
  });

  it('names a bulkUpdate batch shape from its second run on, never a one-off batch size', async () => {
    const [a, b, c] = await Gadget.objects.filter({ id: { in: [1, 2, 3] } }).orderBy('id');
    const updateTexts = async () => [...(await prepared('default')).keys()].filter((statement) => statement.startsWith('update'));
    a!.size = 21;
    b!.size = 22;
    await Gadget.objects.bulkUpdate([a!, b!], ['size']);
    expect(await updateTexts()).toEqual([]);
    a!.size = 31;
    b!.size = 32;
    await Gadget.objects.bulkUpdate([a!, b!], ['size']);
    expect(await updateTexts()).toHaveLength(1);
    c!.size = 33;
    await Gadget.objects.bulkUpdate([a!, b!, c!], ['size']);
    expect(await updateTexts()).toHaveLength(1);
    expect((await Gadget.objects.filter({ id: { in: [1, 2, 3] } }).orderBy('id')).map((gadget) => gadget.size)).toEqual([31, 32, 33]);
  });

  it('sends every statement unnamed with OPTIONS.preparedStatements false (poolers that do not keep them)', async () => {
    configureDatabases({ unnamed: postgresSettings(schema, { max: 1, preparedStatements: false }) }, process.cwd());
    try {
      await Gadget.objects.using('unnamed').get({ id: 1 });
      await Gadget.objects.using('unnamed').get({ id: 2 });
      expect((await prepared('unnamed')).size).toBe(0);
    } finally {
      await closeDatabases(['unnamed']);
    }
  });

  it("settles get() in pg's callback as the executor path would: DoesNotExist and driver errors as rejections, counted only when the statement ran", async () => {
    const before = queryCount('default');
    const missing = Gadget.objects.get({ id: 999 });
    expect(missing).toBeInstanceOf(Promise);
    await expect(missing).rejects.toBeInstanceOf(Gadget.DoesNotExist);
    await expect(Gadget.objects.get({ id: 999 })).rejects.toThrow(/Gadget matching \{ id: 999 \} does not exist/);
    expect(queryCount('default')).toBe(before + 2);
    // A statement the server refuses: rejected (never thrown at the call), not counted, and the pool still serves the next one.
    const Ghost = model('pgstmt.Ghost', { label: f.string({ maxLength: 50 }) }, { table: 'no_such_table' });
    const failing = Ghost.objects.get({ id: 1 });
    await expect(failing).rejects.toThrow(/no_such_table/);
    expect(queryCount('default')).toBe(before + 2);
    expect((await Gadget.objects.get({ id: 2 })).label).toBe('b');
    const { queries } = await captureQueries(() => Gadget.objects.filter({ size: { gte: 2 } }).orderBy('id'));
    expect(queries.map((query) => query.parameters)).toEqual([[2]]);
  });

  it('runs inside atomic() on the transaction connection, not on the pool', async () => {
    // The pool has one connection and the transaction holds it: a read sent to the pool would wait forever.
    await atomic(async () => {
      await Gadget.objects.filter({ id: 1 }).update({ size: 10 });
      expect((await Gadget.objects.get({ id: 1 })).size).toBe(10);
    });
    expect((await Gadget.objects.get({ id: 1 })).size).toBe(10);
  });
});
