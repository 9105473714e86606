import { sql } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { instantiate, templateOf, type QueryTemplate } from './compile-cache.js';
import { compilerOf, executorOf, run, runCompiled } from './database.js';
import { ParamSlot } from './param-slot.js';

// Bound-parameter limits: SQLite 32766, PostgreSQL 65535; keep a margin.
const MAX_PARAMETERS: Record<Dialect, number> = { sqlite: 30_000, postgres: 60_000 };
// INSERT statements compiled per model (by dialect, columns, rows and RETURNING); a bulk load reuses one per batch size.
const MAX_INSERT_SHAPES = 50;
const insertTemplates = new WeakMap<AnyModel, Map<string, QueryTemplate>>();

/**
 * INSERT rows (column -> driver value) and return, per row in order, the
 * `returning` columns. Both databases support RETURNING (SQLite >= 3.35), so
 * generated ids come back in the same statement. Rows with different column
 * sets (different `signatures`) are inserted in separate statements (SQLite
 * has no DEFAULT in VALUES). Values are already converted for the driver.
 */
export async function insertRows(
  model: AnyModel,
  rows: ReadonlyArray<Record<string, unknown>>,
  signatures: readonly number[],
  alias: string,
  dialect: Dialect,
  returning: readonly AnyField[],
  batchSize?: number,
): Promise<Array<Record<string, unknown>>> {
  const out = new Array<Record<string, unknown>>(rows.length);
  const groups = new Map<number, number[]>();
  for (let index = 0; index < rows.length; index++) {
    const group = groups.get(signatures[index]!);
    if (group) group.push(index);
    else groups.set(signatures[index]!, [index]);
  }
  const table = model.meta.table;
  const returned = returning.map((field) => field.column);
  for (const indexes of groups.values()) {
    const columns = Object.keys(rows[indexes[0]!]!);
    const width = Math.max(1, columns.length);
    const size = Math.max(1, Math.min(batchSize ?? Infinity, Math.floor(MAX_PARAMETERS[dialect] / width)));
    for (let start = 0; start < indexes.length; start += size) {
      const batch = indexes.slice(start, start + size);
      if (columns.length === 0) {
        const db = executorOf(alias);
        for (const index of batch) {
          const query = db.insertInto(table).defaultValues();
          const result = returned.length > 0 ? await run(query.returning(returned), model) : (await run(query, model), [{}]);
          out[index] = (result[0] ?? {}) as Record<string, unknown>;
        }
        continue;
      }
      const values = new Array<unknown>(batch.length * columns.length);
      let k = 0;
      for (const index of batch) {
        const row = rows[index]!;
        for (const column of columns) values[k++] = row[column];
      }
      const template = insertTemplate(model, alias, dialect, columns, batch.length, returned);
      // One-row inserts (create(), save()) recur with the same text; batch lengths vary too much to name them all.
      const result = (await runCompiled(instantiate(template, values), alias, model, batch.length === 1)) as Array<Record<string, unknown>>;
      for (let i = 0; i < batch.length; i++) out[batch[i]!] = returned.length > 0 ? (result[i] ?? {}) : {};
    }
  }
  return out;
}

/** `INSERT INTO table (columns) VALUES (?, ...) x rowCount [RETURNING ...]`, compiled once per shape. */
function insertTemplate(model: AnyModel, alias: string, dialect: Dialect, columns: readonly string[], rowCount: number, returning: readonly string[]): QueryTemplate {
  let byShape = insertTemplates.get(model);
  if (!byShape) insertTemplates.set(model, (byShape = new Map()));
  const key = `${dialect}|${rowCount}|${columns.join(',')}|${returning.join(',')}`;
  let template = byShape.get(key);
  if (template) return template;
  let slot = 0;
  const valueRows = Array.from({ length: rowCount }, () => {
    const row: Record<string, unknown> = {};
    for (const column of columns) {
      // The values arrive converted (insertValues): the slots convert nothing.
      const parameter = new ParamSlot(slot++);
      parameter.bind(null, dialect);
      row[column] = sql`${parameter}`;
    }
    return row;
  });
  const query = compilerOf(alias).insertInto(model.meta.table).values(valueRows);
  const compiled = (returning.length > 0 ? query.returning(returning as never) : query).compile();
  template = templateOf(compiled, slot)!;
  if (byShape.size >= MAX_INSERT_SHAPES) byShape.delete(byShape.keys().next().value!);
  byShape.set(key, template);
  return template;
}
