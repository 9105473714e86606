import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model, type AnyModel } from '../src/model/model.js';
import { Q } from '../src/query/q.js';
import { F } from '../src/query/expressions.js';
import { SchemaEditor, sqlForCreateModel } from '../src/schema/schema-editor.js';
import { createTables, dropTables } from '../src/schema/create-tables.js';
import { ddlName } from '../src/schema/ddl-names.js';
import { forEachDatabase, type DatabaseContext } from './support/databases.js';

const Author = model('schema_t.Author', {
  name: f.string({ maxLength: 100, unique: true }),
  email: f.email({ null: true, index: true }),
});
const Tag = model('schema_t.Tag', { label: f.string({ maxLength: 30 }) });
const Product = model(
  'schema_t.Product',
  {
    title: f.string({ maxLength: 50 }),
    code: f.string({ maxLength: 60, default: 'x' }),
    price: f.decimal({ maxDigits: 8, decimalPlaces: 2 }),
    stock: f.integer({ default: 0 }),
    kind: f.enum(['plain', 'special']),
    starts: f.integer({ null: true }),
    ends: f.integer({ null: true }),
    active: f.boolean({ default: true }),
    author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'products' }),
    tags: f.manyToMany(() => Tag, { relatedName: 'products' }),
  },
  {
    uniqueTogether: [['title', 'code']],
    indexes: [{ fields: ['title', 'stock'] }],
    constraints: [
      { kind: 'check', name: 'schema_t_product_price_gte_0', condition: { price: { gte: '0' } } },
      { kind: 'check', name: 'schema_t_product_stock_or_special', condition: Q.or({ stock: { gte: 0 } }, { kind: 'special' }) },
      { kind: 'check', name: 'schema_t_product_code_ok', condition: { code: { in: ["it's", 'x', "'); drop table schema_t_author; --"] } } },
      { kind: 'check', name: 'schema_t_product_window', condition: Q.or({ starts: null }, { ends: { gt: F('starts') } }) },
    ],
  },
);
// Two tables referencing each other: PostgreSQL needs one foreign key added after both exist.
const Team = model('schema_t.Team', { name: f.string({ maxLength: 20 }), captain: f.foreignKey((): AnyModel => Player, { onDelete: 'SET_NULL', null: true }) });
const Player = model('schema_t.Player', { team: f.foreignKey((): AnyModel => Team, { onDelete: 'CASCADE' }), mentor: f.foreignKey((): AnyModel => Player, { onDelete: 'SET_NULL', null: true, relatedName: 'mentees' }) });

interface Column {
  name: string;
  type: string;
  notNull: boolean;
}

async function columns(ctx: DatabaseContext, table: string): Promise<Column[]> {
  if (ctx.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; type: string; notnull: number; pk: number }>`select * from pragma_table_info(${table})`.execute(ctx.kysely);
    return rows.map((r) => ({ name: r.name, type: r.type.toLowerCase(), notNull: r.notnull === 1 || r.pk === 1 }));
  }
  const { rows } = await sql<{ name: string; type: string; nullable: string }>`
    select column_name as name, format_type(a.atttypid, a.atttypmod) as type, is_nullable as nullable
    from information_schema.columns c join pg_attribute a on a.attrelid = (quote_ident(c.table_name))::regclass and a.attname = c.column_name
    where c.table_schema = current_schema() and c.table_name = ${table} order by c.ordinal_position`.execute(ctx.kysely);
  return rows.map((r) => ({ name: r.name, type: r.type.replace('character varying', 'varchar'), notNull: r.nullable === 'NO' }));
}

async function indexes(ctx: DatabaseContext, table: string): Promise<Array<{ name: string; unique: boolean; columns: string[] }>> {
  if (ctx.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; unique: number }>`select name, "unique" from pragma_index_list(${table})`.execute(ctx.kysely);
    const out = [];
    for (const row of rows) {
      const cols = await sql<{ name: string }>`select name from pragma_index_info(${row.name}) order by seqno`.execute(ctx.kysely);
      out.push({ name: row.name, unique: row.unique === 1, columns: cols.rows.map((c) => c.name) });
    }
    return out;
  }
  const { rows } = await sql<{ name: string; unique: boolean; columns: string[] }>`
    select i.relname as name, ix.indisunique as unique, array_agg(a.attname::text order by k.n) as columns
    from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_class t on t.oid = ix.indrelid
    join lateral unnest(ix.indkey) with ordinality as k(attnum, n) on true
    join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
    where t.relname = ${table} and t.relnamespace = current_schema()::regnamespace
    group by i.relname, ix.indisunique`.execute(ctx.kysely);
  return rows;
}

forEachDatabase(
  'schema editor',
  (ctx) => {
    it('creates columns with the field types and NOT NULL unless null: true', async () => {
      const cols = await columns(ctx, 'schema_t_product');
      const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
      expect(cols.map((c) => c.name)).toEqual(['id', 'title', 'code', 'price', 'stock', 'kind', 'starts', 'ends', 'active', 'author_id']);
      expect(byName['title']).toEqual({ name: 'title', type: 'varchar(50)', notNull: true });
      expect(byName['starts']!.notNull).toBe(false);
      expect(byName['kind']!.type).toBe('varchar(7)');
      expect(byName['price']!.type).toBe(ctx.dialect === 'postgres' ? 'numeric(8,2)' : 'text');
      expect(byName['author_id']!.type).toBe(ctx.dialect === 'postgres' ? 'bigint' : 'integer');
      expect(byName['active']!.type).toBe(ctx.dialect === 'postgres' ? 'boolean' : 'integer');
      const email = (await columns(ctx, 'schema_t_author')).find((c) => c.name === 'email')!;
      expect(email).toEqual({ name: 'email', type: 'varchar(254)', notNull: false });
    });

    it('declares no column defaults: the ORM applies them', async () => {
      const defaults =
        ctx.dialect === 'sqlite'
          ? (await sql<{ dflt_value: unknown }>`select dflt_value from pragma_table_info('schema_t_product')`.execute(ctx.kysely)).rows.map((r) => r.dflt_value)
          : (await sql<{ d: unknown }>`select column_default as d from information_schema.columns where table_schema = current_schema() and table_name = 'schema_t_product' and column_name <> 'id'`.execute(ctx.kysely)).rows.map((r) => r.d);
      expect(defaults.every((d) => d === null)).toBe(true);
    });

    it('makes the auto primary key an identity (pg) / integer primary key autoincrement (sqlite)', async () => {
      if (ctx.dialect === 'sqlite') {
        const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'schema_t_author'`.execute(ctx.kysely);
        expect(rows[0]!.sql).toMatch(/"id" integer not null primary key autoincrement|"id" integer primary key autoincrement/);
      } else {
        const { rows } = await sql<{ is_identity: string; identity_generation: string; data_type: string }>`
          select is_identity, identity_generation, data_type from information_schema.columns
          where table_schema = current_schema() and table_name = 'schema_t_author' and column_name = 'id'`.execute(ctx.kysely);
        expect(rows[0]).toEqual({ is_identity: 'YES', identity_generation: 'BY DEFAULT', data_type: 'bigint' });
      }
      await sql`insert into schema_t_author (name) values ('a1'), ('a2')`.execute(ctx.kysely);
      const { rows } = await sql<{ id: number }>`select id from schema_t_author order by id`.execute(ctx.kysely);
      expect(rows.map((r) => r.id)).toEqual([1, 2]);
    });

    it('creates unique, foreign-key, composite and declared indexes', async () => {
      const product = await indexes(ctx, 'schema_t_product');
      const find = (cols: string[]) => product.find((i) => i.columns.join() === cols.join());
      expect(find(['author_id'])).toMatchObject({ name: 'schema_t_product_author_id_idx', unique: false });
      expect(find(['title', 'code'])).toMatchObject({ unique: true });
      expect(find(['title', 'stock'])).toMatchObject({ name: 'schema_t_product_title_stock_idx', unique: false });
      const author = await indexes(ctx, 'schema_t_author');
      expect(author.find((i) => i.columns.join() === 'name')).toMatchObject({ unique: true });
      expect(author.find((i) => i.columns.join() === 'email')).toMatchObject({ name: 'schema_t_author_email_idx', unique: false });
    });

    it('creates foreign keys as deferrable, initially deferred, with no action on delete', async () => {
      if (ctx.dialect === 'sqlite') {
        const { rows } = await sql<{ table: string; from: string; to: string; on_delete: string }>`select * from pragma_foreign_key_list('schema_t_product')`.execute(ctx.kysely);
        expect(rows.map((r) => ({ table: r.table, from: r.from, to: r.to, on_delete: r.on_delete }))).toEqual([{ table: 'schema_t_author', from: 'author_id', to: 'id', on_delete: 'NO ACTION' }]);
        const { rows: ddl } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'schema_t_product'`.execute(ctx.kysely);
        expect(ddl[0]!.sql).toMatch(/constraint "schema_t_product_author_id_fkey" foreign key \("author_id"\) references "schema_t_author" \("id"\) on delete no action deferrable initially deferred/);
      } else {
        const { rows } = await sql<{ conname: string; condeferrable: boolean; condeferred: boolean; confdeltype: string }>`
          select conname, condeferrable, condeferred, confdeltype from pg_constraint
          where conrelid = 'schema_t_product'::regclass and contype = 'f'`.execute(ctx.kysely);
        expect(rows).toEqual([{ conname: 'schema_t_product_author_id_fkey', condeferrable: true, condeferred: true, confdeltype: 'a' }]);
      }
    });

    it('compiles check constraints from the filter form, with literals quoted', async () => {
      await sql`insert into schema_t_author (id, name) values (10, 'check-author')`.execute(ctx.kysely);
      const insert = (values: { price: string; stock?: number; kind?: string; code?: string; starts?: number | null; ends?: number | null }) =>
        sql`insert into schema_t_product (title, code, price, stock, kind, starts, ends, active, author_id)
            values ('t', ${values.code ?? 'x'}, ${values.price}, ${values.stock ?? 0}, ${values.kind ?? 'plain'}, ${values.starts ?? null}, ${values.ends ?? null}, ${ctx.dialect === 'postgres' ? true : 1}, 10)`.execute(ctx.kysely);
      await insert({ price: '1.50', code: "it's" });
      await expect(insert({ price: '-1.00', code: 'x' })).rejects.toThrow(/schema_t_product_price_gte_0/);
      await expect(insert({ price: '1.00', stock: -1 })).rejects.toThrow(/schema_t_product_stock_or_special/);
      await insert({ price: '1.00', stock: -1, kind: 'special', code: "'); drop table schema_t_author; --" });
      await expect(insert({ price: '1.00', code: 'other' })).rejects.toThrow(/schema_t_product_code_ok/);
      await expect(insert({ price: '1.00', starts: 5, ends: 3 })).rejects.toThrow(/schema_t_product_window/);
      // Decimals are text on SQLite: the check compares them as numbers, not strings ('10.00' > '9.00').
      await insert({ price: '10.00' });
      const { rows } = await sql<{ n: number }>`select count(*) as n from schema_t_author`.execute(ctx.kysely);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    });

    it('creates the many-to-many join table with two foreign keys, unique together', async () => {
      const cols = await columns(ctx, 'schema_t_product_tags');
      expect(cols.map((c) => c.name)).toEqual(['id', 'product_id', 'tag_id']);
      const idx = await indexes(ctx, 'schema_t_product_tags');
      expect(idx.find((i) => i.columns.join() === 'product_id,tag_id')).toMatchObject({ unique: true });
    });

    it('creates tables that reference each other in a cycle, and self references', async () => {
      await sql`insert into schema_t_team (id, name, captain_id) values (1, 'red', 1)`.execute(ctx.kysely).catch(() => undefined);
      // The deferred constraints accept the pair when both rows exist by commit.
      await ctx.kysely.transaction().execute(async (trx) => {
        await sql`insert into schema_t_team (id, name, captain_id) values (2, 'blue', 7)`.execute(trx);
        await sql`insert into schema_t_player (id, team_id, mentor_id) values (7, 2, 7)`.execute(trx);
      });
      await expect(sql`insert into schema_t_player (id, team_id) values (8, 99)`.execute(ctx.kysely)).rejects.toThrow(/foreign key/i);
    });

    it('drops the tables it created', async () => {
      await dropTables([Team, Player]);
      const remaining =
        ctx.dialect === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name like 'schema_t_%'`.execute(ctx.kysely)).rows
          : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(ctx.kysely)).rows;
      expect(remaining.map((r) => r.name).sort()).toEqual(['schema_t_author', 'schema_t_product', 'schema_t_product_tags', 'schema_t_tag']);
      await createTables([Team, Player]);
    });

    it('adds, renames and removes a column', async () => {
      const editor = new SchemaEditor(ctx.dialect);
      const extra = model('schema_t.Extra', { note: f.string({ maxLength: 20, null: true }), rank: f.integer({ unique: true, null: true }), renamed: f.string({ maxLength: 20, null: true }) });
      await editor.execute(editor.addField(Tag, extra.meta.fieldMap.get('note')!), ctx.kysely);
      await editor.execute(editor.addField(Tag, extra.meta.fieldMap.get('rank')!), ctx.kysely);
      await editor.execute(editor.renameField(Tag, extra.meta.fieldMap.get('note')!, extra.meta.fieldMap.get('renamed')!), ctx.kysely);
      expect((await columns(ctx, 'schema_t_tag')).map((c) => c.name)).toEqual(['id', 'label', 'renamed', 'rank']);
      await sql`insert into schema_t_tag (label, rank) values ('a', 1)`.execute(ctx.kysely);
      await expect(sql`insert into schema_t_tag (label, rank) values ('b', 1)`.execute(ctx.kysely)).rejects.toThrow(/unique/i);
      await editor.execute(editor.removeField(Tag, extra.meta.fieldMap.get('rank')!), ctx.kysely);
      await editor.execute(editor.removeField(Tag, extra.meta.fieldMap.get('renamed')!), ctx.kysely);
      expect((await columns(ctx, 'schema_t_tag')).map((c) => c.name)).toEqual(['id', 'label']);
      expect(() => editor.addField(Tag, f.string({ maxLength: 3 }) as never)).toThrow();
    });
  },
  { models: [Author, Tag, Product, Team, Player] },
);

describe('DDL text', () => {
  it('sqlForCreateModel returns the statements per dialect', () => {
    const sqlite = sqlForCreateModel(Author, 'sqlite');
    expect(sqlite[0]).toBe(
      'create table "schema_t_author" ("id" integer primary key autoincrement, "name" varchar(100) not null, "email" varchar(254), constraint "schema_t_author_name_key" unique ("name"))',
    );
    expect(sqlite[1]).toBe('create index "schema_t_author_email_idx" on "schema_t_author" ("email")');
    const pg = sqlForCreateModel(Author, 'postgres');
    expect(pg[0]).toMatch(/^create table "schema_t_author" \("id" bigint generated by default as identity primary key, /);
  });

  it('inlines check literals only for plain scalars', () => {
    const Bad = model('schema_t.Bad', { n: f.integer() }, { constraints: [{ kind: 'check', name: 'bad_check', condition: { n: { gte: Number.NaN } } }] });
    expect(() => sqlForCreateModel(Bad, 'postgres')).toThrow(/NaN cannot be a literal/);
    const Unknown = model('schema_t.Unknown', { n: f.integer() }, { constraints: [{ kind: 'check', name: 'u_check', condition: { m: { gte: 1 } } }] });
    expect(() => sqlForCreateModel(Unknown, 'sqlite')).toThrow(/unknown field 'm'; did you mean 'n'\?/);
  });

  it('shortens names beyond 63 bytes with a hash, keeping them distinct', () => {
    const a = ddlName(`${'x'.repeat(70)}_a_idx`);
    const b = ddlName(`${'x'.repeat(70)}_b_idx`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(ddlName('short_idx')).toBe('short_idx');
  });
});
