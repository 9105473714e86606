import { describe, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { allModels, getModel } from '../src/model/model-registry.js';
import { manyToManyLink } from '../src/relations/many-to-many.js';
import { Q } from '../src/query/q.js';
import { F } from '../src/query/expressions.js';
import { fieldToSpec, specToField, specColumn } from '../src/migrations/state/field-spec.js';
import { f as mf } from '../src/migrations/state/spec-builders.js';
import { ProjectState } from '../src/migrations/state/project-state.js';
import { modelStateFromModel } from '../src/migrations/state/model-state.js';
import { valuesEqual } from '../src/migrations/state/spec-value.js';
import { ops } from '../src/migrations/operations/index.js';
import { migration } from '../src/migrations/migration.js';
import { InvalidMigration, MigrationStateError } from '../src/migrations/errors.js';

const Author = model('st.Author', {
  name: f.string({ maxLength: 100 }),
  email: f.email({ null: true, unique: true }),
});
const Tag = model('st.Tag', { name: f.slug({ index: false }) });
const Post = model(
  'st.Post',
  {
    title: f.string({ maxLength: 200, default: 'untitled' }),
    body: f.text({ default: '' }),
    price: f.decimal({ maxDigits: 8, decimalPlaces: 2 }),
    status: f.enum(['draft', 'live'], { default: 'draft', labels: { draft: 'Draft' } }),
    author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
    parent: f.foreignKey('self', { onDelete: 'SET_NULL', null: true }),
    tags: f.manyToMany(() => Tag, { relatedName: 'posts' }),
    publishedAt: f.datetime({ null: true, autoNowAdd: true }),
    token: f.uuid({ default: () => 'x' }),
    views: f.integer({ default: 0, column: 'view_count', helpText: 'not kept' }),
  },
  {
    ordering: ['-publishedAt'],
    uniqueTogether: [['author', 'title']],
    constraints: [{ kind: 'check', name: 'st_post_price_positive', condition: Q.or({ price: { gte: '0' } }, { views: { gt: F('price').add(1) } }) }],
    indexes: [{ fields: ['title', 'status'] }],
    verboseName: 'blog post',
  },
);

describe('field specs', () => {
  it('keep database-relevant options, normalised', () => {
    expect(fieldToSpec(Post.fields.title)).toEqual({ kind: 'string', options: { maxLength: 200, default: 'untitled' } });
    expect(fieldToSpec(Author.fields.email)).toEqual({ kind: 'email', options: { null: true, unique: true } });
    expect(fieldToSpec(Tag.fields.name)).toEqual({ kind: 'slug', options: { index: false } });
    expect(fieldToSpec(Post.fields.status)).toEqual({ kind: 'enum', options: { default: 'draft' }, values: ['draft', 'live'] });
    expect(fieldToSpec(Post.fields.author)).toEqual({ kind: 'foreignKey', options: {}, target: 'st.Author', onDelete: 'CASCADE', relatedName: 'posts' });
    expect(fieldToSpec(Post.fields.parent)).toEqual({ kind: 'foreignKey', options: { null: true }, target: 'st.Post', onDelete: 'SET_NULL' });
    expect(fieldToSpec(Post.fields.tags)).toEqual({ kind: 'manyToMany', options: {}, target: 'st.Tag', relatedName: 'posts' });
    // A function default cannot be written into a file; help texts never need a migration.
    expect(fieldToSpec(Post.fields.token)).toEqual({ kind: 'uuid', options: {} });
    expect(fieldToSpec(Post.fields.views)).toEqual({ kind: 'integer', options: { default: 0, column: 'view_count' } });
    expect(fieldToSpec(Post.fields.id)).toEqual({ kind: 'autoField', options: {} });
  });

  it('round-trip through specToField for every field of the model', () => {
    for (const field of Post.meta.fields) {
      const spec = fieldToSpec(field);
      expect(fieldToSpec(specToField(spec, getModel)), field.name).toEqual(spec);
    }
  });

  it('equal the migration f() constructors for the same declaration', () => {
    expect(mf.string({ maxLength: 200, default: 'untitled' })).toEqual(fieldToSpec(Post.fields.title));
    expect(mf.slug({ index: false })).toEqual(fieldToSpec(Tag.fields.name));
    expect(mf.foreignKey('st.Author', { onDelete: 'CASCADE', relatedName: 'posts' })).toEqual(fieldToSpec(Post.fields.author));
    expect(mf.enum(['draft', 'live'], { default: 'draft' })).toEqual(fieldToSpec(Post.fields.status));
    expect(mf.auto()).toEqual(fieldToSpec(Post.fields.id));
    expect(mf.email({ maxLength: 254 })).toEqual(mf.email());
  });

  it('derive columns like model() does', () => {
    for (const field of Post.meta.columnFields) expect(specColumn(field.name, fieldToSpec(field))).toBe(field.column);
  });

  it('compare constraint conditions structurally', () => {
    expect(valuesEqual(Q.or({ a: 1 }, { b: F('c').add(1) }), Q.or({ a: 1 }, { b: F('c').add(1) }))).toBe(true);
    expect(valuesEqual(Q.or({ a: 1 }), Q.and({ a: 1 }))).toBe(false);
    expect(valuesEqual(F('c').add(1), F('c').add(2))).toBe(false);
    expect(valuesEqual(new Date(5), new Date(5))).toBe(true);
    expect(valuesEqual({ a: undefined, b: 1 }, { b: 1 })).toBe(true);
  });
});

describe('ProjectState', () => {
  it('is built from declared models, without auto-created join models', () => {
    manyToManyLink(Post.fields.tags); // registers st.Post_tags
    expect(allModels('st').map((m) => m.name)).toContain('st.Post_tags');
    const state = ProjectState.fromModels(allModels('st'));
    expect([...state.models.keys()].sort()).toEqual(['st.author', 'st.post', 'st.tag']);
    const post = state.get('st', 'Post');
    expect(post.table).toBe('st_post');
    expect(post.options.ordering).toEqual(['-publishedAt']);
    expect(post.options.verboseName).toBe('blog post');
    expect(post.options.indexes).toEqual([{ name: 'st_post_title_status_idx', fields: ['title', 'status'] }]);
    expect(post.options.constraints?.map((c) => c.name)).toEqual(['st_post_price_positive', 'st_post_author_title_uniq']);
    expect(state.sourceModel('st', 'post')).toBe(Post);
  });

  it('clones shallowly and independently', () => {
    const state = ProjectState.fromModels([Author, Post, Tag]);
    const copy = state.clone();
    copy.remove('st', 'Tag');
    expect(state.has('st', 'Tag')).toBe(true);
    expect(copy.has('st', 'Tag')).toBe(false);
  });

  it('names the closest model when one is missing', () => {
    const state = ProjectState.fromModels([Author]);
    expect(() => state.get('st', 'Autor')).toThrow(MigrationStateError);
    expect(() => state.get('st', 'Autor')).toThrow(/did you mean 'st.Author'/);
  });
});

describe('historical models', () => {
  const state = ProjectState.fromModels([Author, Post, Tag]);

  it('render like the declared models, outside the global registry', () => {
    const before = allModels().length;
    const models = state.renderModels();
    const HistoricalPost = models.get('st.Post');
    expect(HistoricalPost).not.toBe(Post);
    expect(getModel('st.Post')).toBe(Post);
    expect(allModels().length).toBe(before);
    expect(HistoricalPost.meta.table).toBe(Post.meta.table);
    expect(HistoricalPost.meta.columnFields.map((field) => [field.name, field.column, field.dbType('postgres'), field.isNullable])).toEqual(
      Post.meta.columnFields.map((field) => [field.name, field.column, field.dbType('postgres'), field.isNullable]),
    );
    expect(HistoricalPost.meta.constraints.map((c) => c.name)).toEqual(Post.meta.constraints.map((c) => c.name));
    expect(HistoricalPost.meta.indexes).toEqual(Post.meta.indexes);
    const author = HistoricalPost.meta.foreignKeys.find((field) => field.name === 'author')!;
    expect(author.target).toBe(models.get('st.Author'));
    expect(models.get('st.post')).toBe(HistoricalPost); // cached, case-insensitive
  });

  it('build auto-created join models shaped exactly like the declared ones', () => {
    const models = state.renderModels();
    const historical = manyToManyLink(models.get('st.Post').meta.manyToMany[0]!);
    const declared = manyToManyLink(Post.fields.tags);
    expect(historical.through).not.toBe(declared.through);
    expect(historical.through.meta.autoCreatedFor).toBe(historical.field);
    expect(historical.through.meta.table).toBe(declared.through.meta.table);
    expect(historical.through.meta.columnFields.map((field) => field.column)).toEqual(declared.through.meta.columnFields.map((field) => field.column));
    expect(historical.through.meta.constraints).toEqual(declared.through.meta.constraints);
    expect(historical.sourceField.target).toBe(models.get('st.Post'));
    expect(historical.targetField.target).toBe(models.get('st.Tag'));
  });

  it('get reverse relations among themselves', () => {
    const models = state.renderModels();
    models.all();
    expect(models.get('st.Author').meta.reverseRelations.map((r) => r.name)).toEqual(['posts']);
    expect(Author.meta.reverseRelations.every((r) => r.model === Post)).toBe(true);
  });

  it('are re-rendered after the state changes', () => {
    const copy = state.clone();
    const first = copy.renderModels().get('st.Tag');
    copy.remove('st', 'Author');
    expect(copy.renderModels().get('st.Tag')).not.toBe(first);
    expect(() => copy.renderModels().get('st.Author')).toThrow(/No model 'st.Author'/);
  });
});

describe('operations: state half', () => {
  const apply = (...operations: Parameters<typeof migration>[0]['operations']) => {
    const state = new ProjectState();
    migration({ operations }).bind('shop', '0001_initial').applyState(state);
    return state;
  };
  const base = [
    ops.createModel({ name: 'Product', fields: [['id', mf.auto()], ['name', mf.string({ maxLength: 50 })]], options: { ordering: ['name'] } }),
    ops.createModel({ name: 'Order', fields: [['id', mf.auto()], ['product', mf.foreignKey('shop.Product', { onDelete: 'PROTECT' })]] }),
  ];

  it('CreateModel / DeleteModel', () => {
    const state = apply(...base);
    expect(state.get('shop', 'Product').fields.map(([n]) => n)).toEqual(['id', 'name']);
    expect(state.get('shop', 'Product').table).toBe('shop_product');
    expect(apply(...base, ops.deleteModel({ name: 'Order' })).has('shop', 'Order')).toBe(false);
    expect(() => apply(...base, ops.createModel({ name: 'Product', fields: [] }))).toThrow(/already exists/);
  });

  it('AddField / RemoveField / AlterField / RenameField', () => {
    const state = apply(
      ...base,
      ops.addField({ model: 'Product', name: 'sku', field: mf.string({ maxLength: 20 }), backfill: '' }),
      ops.alterField({ model: 'Product', name: 'name', field: mf.string({ maxLength: 80 }) }),
      ops.renameField({ model: 'Product', oldName: 'name', newName: 'title' }),
      ops.removeField({ model: 'Product', name: 'sku' }),
    );
    const product = state.get('shop', 'Product');
    expect(product.fields).toEqual([
      ['id', mf.auto()],
      ['title', mf.string({ maxLength: 80 })],
    ]);
    expect(product.options.ordering).toEqual(['title']); // the rename follows into options
    expect(() => apply(...base, ops.removeField({ model: 'Product', name: 'nope' }))).toThrow(/no field 'nope'/);
  });

  it('RenameModel renames the derived table and retargets relations', () => {
    const state = apply(...base, ops.renameModel({ oldName: 'Product', newName: 'Item' }));
    expect(state.has('shop', 'Product')).toBe(false);
    expect(state.get('shop', 'Item').table).toBe('shop_item');
    expect(state.get('shop', 'Order').fields[1]![1].target).toBe('shop.Item');
  });

  it('indexes, constraints, options and table', () => {
    const state = apply(
      ...base,
      ops.addIndex({ model: 'Product', index: { name: 'shop_product_name_idx', fields: ['name'] } }),
      ops.addConstraint({ model: 'Product', constraint: { kind: 'unique', name: 'shop_product_name_uniq', fields: ['name'] } }),
      ops.alterModelOptions({ name: 'Product', options: { verboseName: 'item' } }),
      ops.alterModelTable({ name: 'Product', table: 'products' }),
    );
    const product = state.get('shop', 'Product');
    // Names model() derived from the table follow it, as the schema editor renames them.
    expect(product.options).toEqual({
      indexes: [{ name: 'products_name_idx', fields: ['name'] }],
      constraints: [{ kind: 'unique', name: 'products_name_uniq', fields: ['name'] }],
      verboseName: 'item',
      table: 'products',
    });
    expect(product.table).toBe('products');
    const removed = apply(
      ...base,
      ops.addIndex({ model: 'Product', index: { name: 'i', fields: ['name'] } }),
      ops.removeIndex({ model: 'Product', name: 'i' }),
      ops.alterModelTable({ name: 'Product', table: null }),
    );
    expect(removed.get('shop', 'Product').options).toEqual({ ordering: ['name'] });
    expect(() => apply(...base, ops.removeConstraint({ model: 'Product', name: 'x' }))).toThrow(/no constraint named 'x'/);
  });

  it('RunSQL applies its stateOperations; RunCode changes nothing', () => {
    const state = apply(
      ...base,
      ops.runSql({ sql: 'create index concurrently i on shop_product (name)', reverseSql: 'drop index i', stateOperations: [ops.addIndex({ model: 'Product', index: { name: 'i', fields: ['name'] } })] }),
      ops.runCode({ forward: () => undefined }),
    );
    expect(state.get('shop', 'Product').options.indexes).toEqual([{ name: 'i', fields: ['name'] }]);
  });

  it('unbound operations and malformed migrations fail clearly', () => {
    expect(() => ops.deleteModel({ name: 'X' }).stateForwards(new ProjectState())).toThrow(InvalidMigration);
    expect(() => migration({ operations: [{} as never] })).toThrow(/not an operation/);
    expect(() => migration({ dependencies: [['blog'] as never], operations: [] })).toThrow(/must be \['app', 'migration_name'\]/);
  });

  it('state of models matches CreateModel of their spec', () => {
    const state = new ProjectState();
    const created = ops.createModel({ name: 'Author', fields: modelStateFromModel(Author).fields, options: modelStateFromModel(Author).options }).bind('st');
    created.stateForwards(state);
    expect(state.get('st', 'Author')).toEqual(modelStateFromModel(Author));
  });
});
