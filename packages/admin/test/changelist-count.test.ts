import { expect, it } from 'vitest';
import { captureQueries, executor, sql, type AnyModel, type QuerySet } from '@atrium/orm';
import { COUNT_LIMIT, countChangelist } from '../src/changelist-count.js';
import { Author } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';

type AnyQuerySet = QuerySet<AnyModel>;
const model = Author as unknown as AnyModel;

async function authors(n: number): Promise<void> {
  await Author.objects.bulkCreate(Array.from({ length: n }, (_, i) => ({ name: `${i % 2 === 0 ? 'Ann' : 'Bob'} ${i}`, email: `a${i}@example.com` })));
}

function querysets(): { all: AnyQuerySet; anns: AnyQuerySet } {
  const all = Author.objects.all() as unknown as AnyQuerySet;
  return { all, anns: Author.objects.filter({ name: { startswith: 'Ann' } }) as unknown as AnyQuerySet };
}

forEachDatabase(
  'changelist counts',
  (engine) => {
    it('counts exactly below the limit; on SQLite the filtered count needs no LIMIT subquery once the table is known to be small', async () => {
      await authors(5);
      const { all, anns } = querysets();
      const { result, queries } = await captureQueries(() => countChangelist(model, anns, all, { narrowed: true, wholeTable: true, fullCount: true }));
      expect(result).toEqual({ result: { value: 3, kind: 'exact' }, full: { value: 5, kind: 'exact' } });
      if (engine === 'sqlite') {
        // The table's size (count(*) with no WHERE: SQLite counts b-tree cells) and the filtered count.
        expect(queries.length).toBe(2);
        expect(queries.some((q) => /limit/i.test(q.sql))).toBe(false);
      }
      expect(await countChangelist(model, all, all, { narrowed: false, wholeTable: true, fullCount: true })).toEqual({ result: { value: 5, kind: 'exact' }, full: null });
    });

    it('stops counting at the limit, except the whole table on SQLite, which it counts without visiting rows', async () => {
      await authors(5);
      const { all, anns } = querysets();
      const limits = { count: 2, fullEstimateFrom: 2 };
      const narrowed = await countChangelist(model, anns, all, { narrowed: true, wholeTable: true, fullCount: true, limits });
      expect(narrowed.result).toEqual({ value: 2, kind: 'atLeast' });
      // PostgreSQL: the table was never analysed, so there is no estimate to fall back on.
      expect(narrowed.full).toEqual(engine === 'sqlite' ? { value: 5, kind: 'exact' } : { value: 2, kind: 'atLeast' });
      // A getQueryset hook may narrow the list: the table's size does not stand for it.
      const hooked = await countChangelist(model, all, all, { narrowed: false, wholeTable: false, fullCount: true, limits });
      expect(hooked.result).toEqual({ value: 2, kind: 'atLeast' });
      // showFullResultCount: false: one count, of the listed rows only.
      const { result, queries } = await captureQueries(() => countChangelist(model, anns, all, { narrowed: true, wholeTable: true, fullCount: false, limits }));
      expect(result).toEqual({ result: { value: 2, kind: 'atLeast' }, full: null });
      expect(queries.length).toBe(1);
      expect(COUNT_LIMIT).toBe(100_000);
    });

    if (engine === 'postgres') {
      it("uses PostgreSQL's planner estimate for the whole table: past the limit for the list, past fullEstimateFrom for the total", async () => {
        await authors(5);
        await sql`ANALYZE ${sql.table(Author.meta.table)}`.execute(executor());
        const { all, anns } = querysets();
        const estimate = { value: 5, kind: 'estimate' };
        expect((await countChangelist(model, all, all, { narrowed: false, wholeTable: true, fullCount: true, limits: { count: 4, fullEstimateFrom: 4 } })).result).toEqual(estimate);
        // Below the limit the list is counted exactly, whatever the estimate says.
        expect((await countChangelist(model, all, all, { narrowed: false, wholeTable: true, fullCount: true, limits: { count: 5, fullEstimateFrom: 4 } })).result).toEqual({ value: 5, kind: 'exact' });
        expect(await countChangelist(model, anns, all, { narrowed: true, wholeTable: true, fullCount: true, limits: { count: 10, fullEstimateFrom: 4 } })).toEqual({ result: { value: 3, kind: 'exact' }, full: estimate });
        expect((await countChangelist(model, anns, all, { narrowed: true, wholeTable: true, fullCount: true, limits: { count: 10, fullEstimateFrom: 5 } })).full).toEqual({ value: 5, kind: 'exact' });
      });
    }
  },
  { models: [Author] },
);
