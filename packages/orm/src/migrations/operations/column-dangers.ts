import type { Dialect } from '../../fields/field.js';
import { specToField, type FieldSpec } from '../state/field-spec.js';
import type { Danger } from './operation.js';

const CONCURRENT_INDEX =
  "On a large table, create the index with CREATE INDEX CONCURRENTLY in ops.runSql (stateOperations: the matching op) inside a migration with atomic: false.";

/**
 * What adding (`before` null) or changing a column does to a PostgreSQL
 * table that is in use: rewrites, full scans under lock, blocking index
 * builds, foreign key validation. SQLite has no concurrent writers to block,
 * so it reports nothing here. Defaults never appear: makemigrations turns a
 * default function into one constant backfill, so no volatile default
 * reaches the database.
 */
export function columnDangers(dialect: Dialect, table: string, label: string, before: FieldSpec | null, after: FieldSpec): Danger[] {
  if (dialect !== 'postgres' || after.kind === 'manyToMany') return [];
  const out: Danger[] = [];
  const danger = (kind: Danger['kind'], message: string, alternative: string): void => {
    out.push({ kind, message, alternative, dataLoss: false, table });
  };
  if (before && before.kind !== 'manyToMany') {
    const from = columnType(before);
    const to = columnType(after);
    if (from !== null && to !== null && from !== to && !cheapTypeChange(from, to)) {
      danger(
        'tableRewrite',
        `Changing ${label} from ${from} to ${to} rewrites table ${table} under an ACCESS EXCLUSIVE lock (reads and writes wait).`,
        'On a large table, add a new column, backfill it in batches, switch the code over, then remove the old column.',
      );
    }
    if (before.options.null === true && after.options.null !== true) {
      danger(
        'fullScanLock',
        `Making ${label} NOT NULL scans all of ${table} under an ACCESS EXCLUSIVE lock.`,
        'On a large table, add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan).',
      );
    }
  }
  const uniqueNow = isUnique(after) && !(before && isUnique(before));
  if (uniqueNow) {
    danger('blockingIndex', `Adding a unique index for ${label} blocks writes to ${table} while it builds (no CONCURRENTLY).`, CONCURRENT_INDEX);
  } else if (isIndexed(after) && !(before && (isIndexed(before) || isUnique(before)))) {
    danger('blockingIndex', `Creating the index on ${label} blocks writes to ${table} while it builds (no CONCURRENTLY).`, CONCURRENT_INDEX);
  }
  if (hasForeignKey(after) && !(before && hasForeignKey(before) && before.target === after.target)) {
    danger(
      'foreignKeyValidation',
      `Adding the foreign key constraint of ${label} checks every row of ${table} while blocking writes to it and to ${after.target}.`,
      'On a large table, add the constraint NOT VALID and VALIDATE CONSTRAINT in a later migration (ops.runSql).',
    );
  }
  return out;
}

/** PostgreSQL column type of a non-relation spec (null for relations: their type follows the target's key). */
function columnType(spec: FieldSpec): string | null {
  if (spec.kind === 'foreignKey' || spec.kind === 'oneToOne' || spec.kind === 'manyToMany') return null;
  return specToField(spec).dbType('postgres');
}

/** Type changes PostgreSQL does without a rewrite: wider varchar, varchar -> text, more numeric precision at the same scale. */
function cheapTypeChange(from: string, to: string): boolean {
  const varchar = /^varchar\((\d+)\)$/;
  const numeric = /^numeric\((\d+), (\d+)\)$/;
  const vf = varchar.exec(from);
  if (vf && to === 'text') return true;
  const vt = varchar.exec(to);
  if (vf && vt) return Number(vt[1]) >= Number(vf[1]);
  const nf = numeric.exec(from);
  const nt = numeric.exec(to);
  if (nf && nt) return nf[2] === nt[2] && Number(nt[1]) >= Number(nf[1]);
  return false;
}

function isUnique(spec: FieldSpec): boolean {
  return (spec.options.unique === true || spec.kind === 'oneToOne') && spec.options.primaryKey !== true;
}

function isIndexed(spec: FieldSpec): boolean {
  return spec.options.index === true || (spec.kind === 'slug' && spec.options.index !== false) || spec.kind === 'foreignKey';
}

function hasForeignKey(spec: FieldSpec): boolean {
  return (spec.kind === 'foreignKey' || spec.kind === 'oneToOne') && spec.options.dbConstraint !== false;
}
