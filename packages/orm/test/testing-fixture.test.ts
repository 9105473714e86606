import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { connection } from '../src/db/connections.js';
import { atomic, executor, inTransaction, onCommit } from '../src/db/transaction.js';
import { IntegrityError } from '../src/errors.js';
import { useTestDatabase, assertNumQueries, captureQueries, QueryCountMismatch, type TestHooks } from '../src/testing/index.js';
import { postgresAvailable } from './support/databases.js';

const Box = model('fixture_t.Box', { label: f.string({ maxLength: 20 }) });
const Item = model('fixture_t.Item', { box: f.foreignKey(() => Box, { onDelete: 'CASCADE' }) });

const vitestHooks: TestHooks = { beforeAll, afterAll, beforeEach, afterEach };
const count = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(connection().kysely)).rows[0]!.n);
const insertBox = (label: string) => sql`insert into fixture_t_box (label) values (${label})`.execute(executor());

for (const engine of ['sqlite', 'postgres'] as const) {
  describe.skipIf(engine === 'postgres' && !postgresAvailable())(`useTestDatabase [${engine}]`, () => {
    const handle = useTestDatabase({ models: [Box, Item], engine, hooks: vitestHooks });

    it('gives each test a transaction (1/2: writes a row)', async () => {
      expect(inTransaction()).toBe(true);
      await insertBox('first');
      expect(await count('fixture_t_box')).toBe(1);
    });

    it('gives each test a transaction (2/2: the row of the previous test is gone)', async () => {
      expect(await count('fixture_t_box')).toBe(0);
      expect(await Box.objects.count()).toBe(0);
    });

    it('isolates rows written through the query API too (1/2)', async () => {
      const box = await Box.objects.create({ label: 'api' });
      await Item.objects.create({ box: box.id });
      expect(await Item.objects.count()).toBe(1);
    });

    it('isolates rows written through the query API too (2/2)', async () => {
      expect(await Item.objects.count()).toBe(0);
      expect(await Box.objects.count()).toBe(0);
    });

    it('uses a fresh database of the chosen engine', async () => {
      const h = await handle;
      expect(h.dialect).toBe(engine);
      expect(connection().dialect).toBe(engine);
      if (engine === 'postgres') expect(h.schema).toMatch(/^atrium_test_\d+_[0-9a-f]{8}$/);
    });

    it('turns atomic() into a savepoint whose onCommit hooks run when it completes', async () => {
      const events: string[] = [];
      await atomic(async () => {
        await insertBox('kept');
        await onCommit(() => events.push('committed'));
      });
      expect(events).toEqual(['committed']);
      await atomic(async () => {
        await insertBox('lost');
        await onCommit(() => events.push('never'));
        throw new Error('undo');
      }).catch(() => undefined);
      expect(events).toEqual(['committed']);
      expect(await count('fixture_t_box')).toBe(1);
    });

    it('counts queries with assertNumQueries', async () => {
      await assertNumQueries(2, async () => {
        await insertBox('a');
        await count('fixture_t_box');
      });
      const error = await assertNumQueries(1, () => count('fixture_t_box').then(() => count('fixture_t_box'))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryCountMismatch);
      expect((error as Error).message).toMatch(/Expected 1 query, ran 2:\n {2}1\. \[default\] select count/);
      const { queries } = await captureQueries(() => atomic(() => insertBox('b')));
      expect(queries.map((q) => q.sql)).toEqual([expect.stringMatching(/^insert into fixture_t_box/)]);
      expect(queries[0]!.parameters).toEqual(['b']);
    });
  });
}

describe('useTestDatabase constraint check after each test', () => {
  // Drive the hooks by hand to observe what afterEach reports.
  const registered: Partial<Record<keyof TestHooks, () => Promise<void> | void>> = {};
  const manual: TestHooks = {
    beforeAll: (fn) => void (registered.beforeAll = fn),
    afterAll: (fn) => void (registered.afterAll = fn),
    beforeEach: (fn) => void (registered.beforeEach = fn),
    afterEach: (fn) => void (registered.afterEach = fn),
  };
  void useTestDatabase({ models: [Box, Item], hooks: manual, alias: 'manual' });

  it('fails a test that leaves a dangling foreign key, then rolls back', async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await registered.beforeAll!();
    try {
      await registered.beforeEach!();
      await sql`insert into fixture_t_item (box_id) values (99)`.execute(executor('manual'));
      const error = await Promise.resolve(registered.afterEach!()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).fields).toEqual(['box']);
      expect(inTransaction('manual')).toBe(false);
      const left = await sql<{ n: number }>`select count(*) as n from fixture_t_item`.execute(connection('manual').kysely);
      expect(Number(left.rows[0]!.n)).toBe(0);
    } finally {
      await registered.afterAll!();
    }
  });
});

// Without `hooks`, the fixture imports vitest itself; call it with top-level await.
const topLevel = await useTestDatabase({ models: [Box], alias: 'top', isolate: false });

describe('useTestDatabase with vitest hooks found on its own', () => {
  it('configured its alias before the tests ran', async () => {
    expect(topLevel.alias).toBe('top');
    expect(connection('top').dialect).toBe('sqlite');
    await sql`insert into fixture_t_box (label) values ('x')`.execute(connection('top').kysely);
  });
});
