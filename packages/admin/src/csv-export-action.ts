import { HttpResponse } from '@atrium/core';
import type { AnyModel, QuerySet } from '@atrium/orm';
import type { AdminAction } from './model-admin-options.js';

type Row = Record<string, unknown>;

/** Most rows one export writes: a bigger export is a job for a management command. */
const MAX_ROWS = 50_000;

/**
 * One CSV cell (RFC 4180 quoting). A text starting with = + - @ or a tab is
 * prefixed with a quote so spreadsheets do not run it as a formula (OWASP
 * "CSV injection").
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A bulk action that downloads the selected objects as CSV (needs the view
 * permission). Columns are the model's column fields (a foreign key as its
 * key) unless `fields` names them.
 * @example admin.register(Post, { actions: [csvExportAction({ fields: ['id', 'title', 'status'] })] });
 */
export function csvExportAction<M extends AnyModel>(options: { fields?: readonly string[]; filename?: string } = {}): AdminAction<M> {
  return {
    name: 'export_csv',
    label: 'Export selected as CSV',
    permission: 'view',
    async run(_request, queryset: QuerySet<M>) {
      const model: AnyModel = queryset.model;
      const columns = options.fields ?? model.meta.columnFields.map((field) => field.name);
      const attnames = columns.map((name) => {
        const field = model.meta.fieldMap.get(name);
        return field && (field.kind === 'foreignKey' || field.kind === 'oneToOne') ? `${field.name}Id` : name;
      });
      const rows = (await queryset.slice(0, MAX_ROWS)) as unknown as Row[];
      const lines = [columns.map(csvCell).join(','), ...rows.map((row) => attnames.map((name) => csvCell(row[name])).join(','))];
      const filename = (options.filename ?? `${model.meta.modelName.toLowerCase()}.csv`).replace(/[^A-Za-z0-9._-]/g, '_');
      return new HttpResponse(`${lines.join('\r\n')}\r\n`, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` } });
    },
  };
}
