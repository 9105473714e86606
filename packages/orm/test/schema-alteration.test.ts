import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model, type AnyModel } from '../src/model/model.js';
import { MigrationEditor } from '../src/schema/migration-editor.js';
import { withSchemaEditor } from '../src/schema/with-schema-editor.js';
import { joinTableShape, tableShape } from '../src/schema/table-shape.js';
import { manyToManyLink } from '../src/relations/many-to-many.js';
import { forEachDatabase, type DatabaseContext } from './support/databases.js';
import { columnsOf, constraintsOf, foreignKeysOf, indexesOf, tableExists } from './support/schema-introspection.js';

let serial = 0;
/** A version of a model stored in `table` (each version is a new model object, like a historical model). */
function version(table: string, fields: Parameters<typeof model>[1], options: Parameters<typeof model>[2] = {}): AnyModel {
  serial += 1;
  return model(`alter_t.V${serial}` as `${string}.${string}`, fields, { ...options, table }) as AnyModel;
}

const field = (m: AnyModel, name: string) => m.meta.fieldMap.get(name)!;

async function rows(ctx: DatabaseContext, table: string, order = 'id'): Promise<Record<string, unknown>[]> {
  return ctx.kysely.selectFrom(table).selectAll().orderBy(order).execute();
}

forEachDatabase('schema alterations', (ctx) => {
  const fresh = async (m: AnyModel): Promise<void> => {
    await withSchemaEditor((editor) => editor.createModel(m));
  };

  it('adds nullable, defaulted NOT NULL, unique and foreign key columns to a table with rows', async () => {
    const author = version('alt_author', { name: f.string({ maxLength: 50 }) });
    const v1 = version('alt_post', { title: f.string({ maxLength: 100 }) });
    await fresh(author);
    await fresh(v1);
    await ctx.kysely.insertInto('alt_author').values({ name: 'ann' }).execute();
    await ctx.kysely.insertInto('alt_post').values([{ title: 'a' }, { title: 'b' }]).execute();

    // One version per step, as a migration's states would be.
    const defs = {
      title: () => f.string({ maxLength: 100 }),
      subtitle: () => f.string({ maxLength: 20, null: true }),
      status: () => f.string({ maxLength: 10, default: 'draft' }),
      code: () => f.string({ maxLength: 10, unique: true, null: true }),
      author: () => f.foreignKey(() => author, { onDelete: 'CASCADE', null: true }),
    };
    await withSchemaEditor(async (editor) => {
      let current = v1;
      const names: Array<keyof typeof defs> = ['title'];
      for (const name of ['subtitle', 'status', 'code', 'author'] as const) {
        names.push(name);
        const next = version('alt_post', Object.fromEntries(names.map((n) => [n, defs[n]()])));
        await editor.addField(current, field(next, name));
        current = next;
      }
    });
    const cols = await columnsOf(ctx.kysely, ctx.dialect, 'alt_post');
    expect(cols.map((c) => c.name)).toEqual(['id', 'title', 'subtitle', 'status', 'code', 'author_id']);
    expect(cols.find((c) => c.name === 'status')!.notNull).toBe(true);
    expect(cols.find((c) => c.name === 'subtitle')!.notNull).toBe(false);
    expect((await rows(ctx, 'alt_post')).map((r) => r['status'])).toEqual(['draft', 'draft']);
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, 'alt_post')).toEqual(['author_id->alt_author.id']);
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'alt_post')).toContain('alt_post_author_id_idx');
    // The unique column is enforced; the foreign key too (checked at commit).
    await ctx.kysely.updateTable('alt_post').set({ code: 'x' }).where('title', '=', 'a').execute();
    await expect(ctx.kysely.updateTable('alt_post').set({ code: 'x' }).where('title', '=', 'b').execute()).rejects.toThrow(/unique/i);
    await expect(withSchemaEditor(async () => {
      await ctx.kysely.updateTable('alt_post').set({ author_id: 999 }).where('title', '=', 'b').execute();
    })).rejects.toThrow(/alt_post/);
    // PostgreSQL: the backfill default was dropped (the ORM applies defaults).
    if (ctx.dialect === 'postgres') {
      await expect(ctx.kysely.insertInto('alt_post').values({ title: 'c' }).execute()).rejects.toThrow(/null/);
    }
  });

  it('removes plain, unique and foreign key columns and keeps the other data', async () => {
    const author = version('rm_author', { name: f.string({ maxLength: 50 }) });
    const v1 = version('rm_post', {
      title: f.string({ maxLength: 100, index: true }),
      body: f.text({ null: true }),
      code: f.string({ maxLength: 10, unique: true }),
      author: f.foreignKey(() => author, { onDelete: 'CASCADE' }),
    });
    await fresh(author);
    await fresh(v1);
    const [{ id: authorId }] = [await ctx.kysely.insertInto('rm_author').values({ name: 'ann' }).returning('id').executeTakeFirstOrThrow()];
    await ctx.kysely.insertInto('rm_post').values([{ title: 't1', body: 'b1', code: 'c1', author_id: authorId }, { title: 't2', body: null, code: 'c2', author_id: authorId }]).execute();

    const v2 = version('rm_post', {
      title: f.string({ maxLength: 100, index: true }),
      code: f.string({ maxLength: 10, unique: true }),
      author: f.foreignKey(() => author, { onDelete: 'CASCADE' }),
    });
    const v3 = version('rm_post', { title: f.string({ maxLength: 100, index: true }), author: f.foreignKey(() => author, { onDelete: 'CASCADE' }) });
    await withSchemaEditor(async (editor) => {
      await editor.removeField(v1, field(v1, 'body'));
      await editor.removeField(v2, field(v2, 'code'));
      await editor.removeField(v3, field(v3, 'author'));
    });
    expect((await columnsOf(ctx.kysely, ctx.dialect, 'rm_post')).map((c) => c.name)).toEqual(['id', 'title']);
    expect((await rows(ctx, 'rm_post')).map((r) => r['title'])).toEqual(['t1', 't2']);
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, 'rm_post')).toEqual([]);
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'rm_post')).toContain('rm_post_title_idx');
  });

  it('alters type, null, unique and index, backfilling NULLs from the default', async () => {
    const before = {
      title: () => f.string({ maxLength: 20 }),
      views: () => f.integer({ null: true }),
      slug: () => f.string({ maxLength: 20, unique: true }),
      kind: () => f.string({ maxLength: 10 }),
    };
    const after: typeof before = {
      title: () => f.string({ maxLength: 200 }),
      views: () => f.bigint({ default: 0n }) as never,
      slug: () => f.string({ maxLength: 20 }),
      kind: () => f.string({ maxLength: 10, index: true }),
    };
    const order = ['title', 'views', 'slug', 'kind'] as const;
    /** The model after the first `done` fields were altered. */
    const at = (done: number): AnyModel => version('alt2', Object.fromEntries(order.map((n, i) => [n, (i < done ? after : before)[n]()])));
    const v1 = at(0);
    await fresh(v1);
    await ctx.kysely.insertInto('alt2').values([{ title: 'a', views: null, slug: 's1', kind: 'x' }, { title: 'b', views: 5, slug: 's2', kind: 'x' }]).execute();
    let current = v1;
    await withSchemaEditor(async (editor) => {
      for (let i = 0; i < order.length; i++) {
        const next = at(i + 1);
        await editor.alterField(current, field(current, order[i]!), field(next, order[i]!));
        current = next;
      }
    });
    const cols = await columnsOf(ctx.kysely, ctx.dialect, 'alt2');
    expect(cols.find((c) => c.name === 'title')!.type).toBe('varchar(200)');
    expect(cols.find((c) => c.name === 'views')).toMatchObject({ type: 'bigint', notNull: true });
    expect((await rows(ctx, 'alt2')).map((r) => Number(r['views']))).toEqual([0, 5]);
    // slug is no longer unique; kind is indexed.
    await ctx.kysely.insertInto('alt2').values({ title: 'c', views: 1, slug: 's1', kind: 'y' }).execute();
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'alt2')).toContain('alt2_kind_idx');
    expect(await constraintsOf(ctx.kysely, ctx.dialect, 'alt2')).not.toContain('alt2_slug_key');

    // And back: NULL allowed again, then unique again.
    const back1 = version('alt2', { title: after.title(), views: before.views(), slug: after.slug(), kind: after.kind() });
    const back2 = version('alt2', { title: after.title(), views: before.views(), slug: before.slug(), kind: after.kind() });
    await withSchemaEditor(async (editor) => {
      await editor.alterField(current, field(current, 'views'), field(back1, 'views'));
      await ctx.kysely.deleteFrom('alt2').where('title', '=', 'c').execute();
      await editor.alterField(back1, field(back1, 'slug'), field(back2, 'slug'));
    });
    expect((await columnsOf(ctx.kysely, ctx.dialect, 'alt2')).find((c) => c.name === 'views')).toMatchObject({ type: 'integer', notNull: false });
    await expect(ctx.kysely.insertInto('alt2').values({ title: 'd', slug: 's1', kind: 'z' }).execute()).rejects.toThrow(/unique/i);
  });

  it('renames a column and the index named after it', async () => {
    const v1 = version('ren_post', { titel: f.string({ maxLength: 20, index: true }) });
    const v2 = version('ren_post', { title: f.string({ maxLength: 20, index: true }) });
    await fresh(v1);
    await ctx.kysely.insertInto('ren_post').values({ titel: 'kept' }).execute();
    await withSchemaEditor((editor) => editor.renameField(v1, field(v1, 'titel'), field(v2, 'title')));
    expect((await rows(ctx, 'ren_post')).map((r) => r['title'])).toEqual(['kept']);
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'ren_post')).toContain('ren_post_title_idx');
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'ren_post')).not.toContain('ren_post_titel_idx');
  });

  it('renames a table: references from other tables follow, derived names too', async () => {
    const v1 = version('ren_a', { name: f.string({ maxLength: 20, index: true }) }, { uniqueTogether: [['name']] });
    const child = version('ren_child', { parent: f.foreignKey(() => v1, { onDelete: 'CASCADE' }) });
    await fresh(v1);
    await fresh(child);
    const { id } = await ctx.kysely.insertInto('ren_a').values({ name: 'p' }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely.insertInto('ren_child').values({ parent_id: id }).execute();
    await withSchemaEditor((editor) => editor.alterTable(v1, 'ren_a', 'ren_b'));
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ren_a')).toBe(false);
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'ren_b')).toContain('ren_b_name_idx');
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, 'ren_child')).toEqual(['parent_id->ren_b.id']);
    if (ctx.dialect === 'postgres') expect(await constraintsOf(ctx.kysely, ctx.dialect, 'ren_b')).toEqual(['ren_b_name_uniq']);
  });

  it('adds and removes indexes and check constraints', async () => {
    const v1 = version('ck', { price: f.integer(), stock: f.integer() });
    await fresh(v1);
    await ctx.kysely.insertInto('ck').values({ price: 5, stock: 1 }).execute();
    const withIndex = version('ck', { price: f.integer(), stock: f.integer() }, { indexes: [{ fields: ['price', 'stock'] }] });
    await withSchemaEditor(async (editor) => {
      await editor.addIndex(v1, { fields: ['price', 'stock'] });
      await editor.addConstraint(withIndex, { kind: 'check', name: 'ck_price_positive', condition: { price: { gte: 0 } } });
    });
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'ck')).toContain('ck_price_stock_idx');
    await expect(ctx.kysely.insertInto('ck').values({ price: -1, stock: 1 }).execute()).rejects.toThrow(/ck_price_positive|check/i);
    const v2 = version('ck', { price: f.integer(), stock: f.integer() }, { indexes: [{ fields: ['price', 'stock'] }], constraints: [{ kind: 'check', name: 'ck_price_positive', condition: { price: { gte: 0 } } }] });
    const withCheck = version('ck', { price: f.integer(), stock: f.integer() }, { constraints: v2.meta.constraints });
    await withSchemaEditor(async (editor) => {
      await editor.removeIndex(v2, { fields: ['price', 'stock'] });
      await editor.removeConstraint(withCheck, v2.meta.constraints[0]!);
    });
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'ck')).not.toContain('ck_price_stock_idx');
    await ctx.kysely.insertInto('ck').values({ price: -1, stock: 1 }).execute();
    expect((await rows(ctx, 'ck')).length).toBe(2);
  });

  it('creates, renames and drops many-to-many join tables', async () => {
    const tag = version('m2m_tag', { label: f.string({ maxLength: 20 }) });
    const v1 = version('m2m_post', { title: f.string({ maxLength: 20 }) });
    const v2 = version('m2m_post', { title: f.string({ maxLength: 20 }), tags: f.manyToMany(() => tag) });
    const v3 = version('m2m_post', { title: f.string({ maxLength: 20 }), labels: f.manyToMany(() => tag) });
    await fresh(tag);
    await fresh(v1);
    await withSchemaEditor((editor) => editor.addField(v1, field(v2, 'tags')));
    const join = joinTableShape(field(v2, 'tags') as never, ctx.dialect)!;
    expect(join.table).toBe('m2m_post_tags');
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, 'm2m_post_tags')).toEqual([`${join.columns[1]!.name}->m2m_post.id`, `${join.columns[2]!.name}->m2m_tag.id`].sort());
    const { id: postId } = await ctx.kysely.insertInto('m2m_post').values({ title: 'p' }).returning('id').executeTakeFirstOrThrow();
    const { id: tagId } = await ctx.kysely.insertInto('m2m_tag').values({ label: 't' }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely.insertInto('m2m_post_tags').values({ [join.columns[1]!.name]: postId, [join.columns[2]!.name]: tagId }).execute();

    await withSchemaEditor((editor) => editor.renameField(v2, field(v2, 'tags'), field(v3, 'labels')));
    expect(await tableExists(ctx.kysely, ctx.dialect, 'm2m_post_tags')).toBe(false);
    expect((await ctx.kysely.selectFrom('m2m_post_labels').selectAll().execute()).length).toBe(1);
    const renamedJoin = joinTableShape(field(v3, 'labels') as never, ctx.dialect)!;
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'm2m_post_labels')).toEqual(expect.arrayContaining(renamedJoin.indexes.map((i) => i.name)));

    await withSchemaEditor((editor) => editor.removeField(v3, field(v3, 'labels')));
    expect(await tableExists(ctx.kysely, ctx.dialect, 'm2m_post_labels')).toBe(false);
  });

  it('keeps references into a table that SQLite rebuilds, and its AUTOINCREMENT high-water mark', async () => {
    const v1 = version('rb_parent', { name: f.string({ maxLength: 20 }) });
    const child = version('rb_child', { parent: f.foreignKey(() => v1, { onDelete: 'CASCADE' }) });
    await fresh(v1);
    await fresh(child);
    await ctx.kysely.insertInto('rb_parent').values([{ name: 'a' }, { name: 'b' }, { name: 'c' }]).execute();
    await ctx.kysely.insertInto('rb_child').values({ parent_id: 1 }).execute();
    await ctx.kysely.deleteFrom('rb_parent').where('id', '=', 3).execute();
    const v2 = version('rb_parent', { name: f.string({ maxLength: 40, unique: true }) });
    await withSchemaEditor((editor) => editor.alterField(v1, field(v1, 'name'), field(v2, 'name')));
    // The reference still points at the rebuilt table and is enforced.
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, 'rb_child')).toEqual(['parent_id->rb_parent.id']);
    await expect(withSchemaEditor(async () => {
      await ctx.kysely.insertInto('rb_child').values({ parent_id: 42 }).execute();
    })).rejects.toThrow(/rb_child/);
    const { id } = await ctx.kysely.insertInto('rb_parent').values({ name: 'd' }).returning('id').executeTakeFirstOrThrow();
    expect(Number(id)).toBe(4);
  });

  it('collects statements and effects without touching the database', async () => {
    const v1 = version('col_post', { title: f.string({ maxLength: 20 }) });
    const v2 = version('col_post', { title: f.integer() });
    const editor = new MigrationEditor({ dialect: ctx.dialect });
    await editor.createModel(v1);
    await editor.alterField(v1, field(v1, 'title'), field(v2, 'title'));
    await editor.removeField(v2, field(v2, 'title'));
    await editor.deleteModel(v2);
    expect(editor.collectOnly).toBe(true);
    expect(await tableExists(ctx.kysely, ctx.dialect, 'col_post')).toBe(false);
    expect(editor.statements[0]!.sql).toMatch(/^create table "col_post"/);
    const kinds = editor.effects.map((e) => e.kind);
    expect(kinds[0]).toBe('createTable');
    expect(kinds).toContain('alterColumnType');
    expect(kinds).toContain('dropColumn');
    expect(kinds[kinds.length - 1]).toBe('dropTable');
    if (ctx.dialect === 'sqlite') expect(kinds).toContain('rebuildTable');
    else expect(editor.statements.map((s) => s.sql)).toContain('alter table "col_post" alter column "title" type integer using "title"::integer');
  });

  it('builds the same join table as the relations layer', () => {
    const tag = model('alter_t.JoinTag', { label: f.string({ maxLength: 20 }) });
    const post = model('alter_t.JoinPost', { tags: f.manyToMany(() => tag), related: f.manyToMany('self') });
    for (const name of ['tags', 'related']) {
      const m2m = post.meta.manyToMany.find((m) => m.name === name)!;
      const fromRelations = tableShape(manyToManyLink(m2m).through, ctx.dialect);
      const computed = joinTableShape(m2m, ctx.dialect)!;
      expect({ ...computed, label: '', columns: computed.columns.map((c) => ({ ...c, field: null })) }).toEqual({
        ...fromRelations,
        label: '',
        columns: fromRelations.columns.map((c) => ({ ...c, field: null })),
      });
    }
  });

  if (ctx.dialect === 'postgres') {
    it('creates an index CONCURRENTLY outside a transaction (and PostgreSQL refuses it inside one)', async () => {
      const v1 = version('conc', { title: f.string({ maxLength: 20 }) });
      await fresh(v1);
      await withSchemaEditor((editor) => editor.addIndex(v1, { name: 'conc_title_cidx', fields: ['title'] }, { concurrently: true }), { atomic: false });
      expect(await indexesOf(ctx.kysely, ctx.dialect, 'conc')).toContain('conc_title_cidx');
      await expect(withSchemaEditor((editor) => editor.addIndex(v1, { name: 'conc_other', fields: ['title'] }, { concurrently: true }))).rejects.toThrow(/CONCURRENTLY cannot run inside a transaction block/);
    });
  }

  if (ctx.dialect === 'sqlite') {
    it('refuses a SQLite rebuild while foreign key enforcement is on, saying why', async () => {
      const v1 = version('fk_on', { title: f.string({ maxLength: 20 }) });
      const v2 = version('fk_on', { title: f.string({ maxLength: 20, unique: true }) });
      await fresh(v1);
      await sql`pragma foreign_keys = on`.execute(ctx.kysely);
      const editor = new MigrationEditor({ dialect: 'sqlite', executor: ctx.kysely });
      await expect(editor.alterField(v1, field(v1, 'title'), field(v2, 'title'))).rejects.toThrow(/foreign key enforcement off/);
    });
  }
});
