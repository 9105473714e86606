import type { AnyField, Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { executorOf, run } from './database.js';

// Bound-parameter limits: SQLite 32766, PostgreSQL 65535; keep a margin.
const MAX_PARAMETERS: Record<Dialect, number> = { sqlite: 30_000, postgres: 60_000 };

/**
 * INSERT rows (column -> driver value) and return, per row in order, the
 * `returning` columns. Both databases support RETURNING (SQLite >= 3.35), so
 * generated ids come back in the same statement. Rows with different column
 * sets are inserted in separate statements (SQLite has no DEFAULT in VALUES).
 */
export async function insertRows(
  model: AnyModel,
  rows: ReadonlyArray<Record<string, unknown>>,
  alias: string,
  dialect: Dialect,
  returning: readonly AnyField[],
  batchSize?: number,
): Promise<Array<Record<string, unknown>>> {
  const out = new Array<Record<string, unknown>>(rows.length);
  const groups = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const signature = Object.keys(row).join('\u0000');
    const group = groups.get(signature);
    if (group) group.push(index);
    else groups.set(signature, [index]);
  });
  const table = model.meta.table;
  const columns = returning.map((field) => field.column);
  for (const indexes of groups.values()) {
    const width = Math.max(1, Object.keys(rows[indexes[0]!]!).length);
    const size = Math.max(1, Math.min(batchSize ?? Infinity, Math.floor(MAX_PARAMETERS[dialect] / width)));
    for (let start = 0; start < indexes.length; start += size) {
      const batch = indexes.slice(start, start + size);
      const db = executorOf(alias);
      if (Object.keys(rows[batch[0]!]!).length === 0) {
        for (const index of batch) {
          const query = db.insertInto(table).defaultValues();
          const result = columns.length > 0 ? await run(query.returning(columns), model) : (await run(query, model), [{}]);
          out[index] = (result[0] ?? {}) as Record<string, unknown>;
        }
        continue;
      }
      const query = db.insertInto(table).values(batch.map((index) => rows[index]!));
      if (columns.length === 0) {
        await run(query, model);
        for (const index of batch) out[index] = {};
        continue;
      }
      const result = (await run(query.returning(columns), model)) as Array<Record<string, unknown>>;
      batch.forEach((index, i) => {
        out[index] = result[i] ?? {};
      });
    }
  }
  return out;
}
