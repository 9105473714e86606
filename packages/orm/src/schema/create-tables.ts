import { sql } from 'kysely';
import type { AnyModel } from '../model/model.js';
import { connection } from '../db/connections.js';
import { executor } from '../db/transaction.js';
import { SchemaEditor } from './schema-editor.js';

/**
 * The models plus the auto-created join models of their many-to-many
 * fields, without duplicates, in foreign-key dependency order (targets
 * first; a cycle keeps declaration order).
 * @example
 * (await withJoinModels([Post, Tag])).map((m) => m.name); // ['blog.Tag', 'blog.Post', 'blog.Post_tags']
 */
export async function withJoinModels(models: readonly AnyModel[]): Promise<AnyModel[]> {
  const all: AnyModel[] = [];
  const seen = new Set<AnyModel>();
  const add = (model: AnyModel): void => {
    if (seen.has(model)) return;
    seen.add(model);
    all.push(model);
  };
  for (const model of models) add(model);
  // Loaded only when needed: the relations layer imports the whole model machinery.
  const { manyToManyLink } = models.some((m) => m.meta.manyToMany.length > 0) ? await import('../relations/many-to-many.js') : { manyToManyLink: null };
  for (const model of models) {
    for (const field of model.meta.manyToMany) {
      if (!manyToManyLink) break;
      const link = manyToManyLink(field);
      if (link.autoCreated) add(link.through);
    }
  }
  return dependencyOrder(all);
}

/** Targets before the models pointing at them (only among `models`); cycles broken in declaration order. */
export function dependencyOrder(models: readonly AnyModel[]): AnyModel[] {
  const inSet = new Set(models);
  const out: AnyModel[] = [];
  const state = new Map<AnyModel, 'visiting' | 'done'>();
  const visit = (model: AnyModel): void => {
    if (state.get(model)) return;
    state.set(model, 'visiting');
    for (const fk of model.meta.foreignKeys) {
      const target = fk.target;
      if (target !== model && inSet.has(target)) visit(target);
    }
    state.set(model, 'done');
    out.push(model);
  };
  for (const model of models) visit(model);
  return out;
}

/**
 * Create the tables (and many-to-many join tables) of `models` on `alias`,
 * in dependency order; on PostgreSQL, foreign keys that close a cycle are
 * added after every table exists. Used by tests and the testing fixture;
 * projects use migrations.
 * @example
 * await createTables([Author, Post]);
 */
export async function createTables(models: readonly AnyModel[], alias = 'default'): Promise<void> {
  const { dialect } = connection(alias);
  const editor = new SchemaEditor(dialect);
  const ordered = await withJoinModels(models);
  const run = executor(alias);
  const created = new Set<AnyModel>();
  const later: AnyModel[] = [];
  for (const model of ordered) {
    // SQLite accepts references to tables created later; PostgreSQL does not.
    const forward = dialect === 'postgres' && model.meta.foreignKeys.some((fk) => fk.options.dbConstraint !== false && fk.target !== model && !created.has(fk.target));
    await editor.execute(editor.createModel(model, { foreignKeys: !forward }), run);
    if (forward) later.push(model);
    created.add(model);
  }
  for (const model of later) await editor.execute(editor.addForeignKeys(model), run);
}

/**
 * Drop the tables of `models` (and their join tables) on `alias`, if they
 * exist: dependents first; CASCADE on PostgreSQL, foreign-key checks paused
 * on SQLite (outside a transaction) so cycles drop too.
 * @example
 * await dropTables([Author, Post]);
 */
export async function dropTables(models: readonly AnyModel[], alias = 'default'): Promise<void> {
  const { dialect } = connection(alias);
  const editor = new SchemaEditor(dialect);
  const run = executor(alias);
  const ordered = (await withJoinModels(models)).reverse();
  if (dialect === 'sqlite') await sql`pragma foreign_keys = off`.execute(run);
  try {
    for (const model of ordered) await editor.execute(editor.deleteModel(model, { ifExists: true, cascade: true }), run);
  } finally {
    if (dialect === 'sqlite') await sql`pragma foreign_keys = on`.execute(run);
  }
}
