// The ORM benchmark's cases: each does the same work twice, once through
// Atrium's ORM as the docs teach it and once through raw Kysely over the same
// driver handle, written the way a user of Kysely would have to write it to
// end up with the same typed objects (camelCase properties, booleans as
// booleans, datetimes as Date, foreign keys as `authorId`, related objects
// nested, ids read back after inserts).
import { AUTHOR_TABLE, AUTHORS, POST_TABLE, POSTS, seedPost } from './orm-fixture.mjs';

const PAGE = 100;
const CHILDREN_PARENTS = 100;
const BULK_ROWS = 10_000;
// Rows per INSERT on both sides: Kysely users chunk by hand; bulkCreate is told the same size.
const BULK_BATCH = 1_000;
const TX_UPDATES = 1_000;

/** Where a case's op number `i` starts a range of `span` consecutive keys, spread over the table. */
function rangeStart(i, span, size) {
  return (i * 7_919) % (size - span);
}

// --- What a Kysely user writes to get typed objects out of rows -----------

function rowMappers(engine) {
  const sqlite = engine === 'sqlite';
  // SQLite has no boolean or timestamp type: 0/1 and ISO-8601 text come back.
  const bool = sqlite ? (v) => v === 1 : (v) => v;
  const date = sqlite ? (v) => new Date(v) : (v) => v;
  const toPost = (row) => ({
    id: row.id,
    authorId: row.author_id,
    title: row.title,
    body: row.body,
    published: bool(row.published),
    views: row.views,
    createdAt: date(row.created_at),
  });
  const toAuthor = (row) => ({ id: row.id, name: row.name, email: row.email, active: bool(row.active), joinedAt: date(row.joined_at) });
  const postValues = (post) => ({
    author_id: post.authorId,
    title: post.title,
    body: post.body,
    published: sqlite ? (post.published ? 1 : 0) : post.published,
    views: post.views,
    created_at: sqlite ? post.createdAt.toISOString() : post.createdAt,
  });
  return { toPost, toAuthor, postValues };
}

// --- Normalised views of results, to check both sides computed the same ---

const POST_KEYS = ['id', 'authorId', 'title', 'body', 'published', 'views', 'createdAt'];
const AUTHOR_KEYS = ['id', 'name', 'email', 'active', 'joinedAt'];

function pick(object, keys) {
  const out = {};
  for (const key of keys) {
    const value = object[key];
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
const plainPost = (post) => pick(post, POST_KEYS);
const plainAuthor = (author) => pick(author, AUTHOR_KEYS);
const byId = (a, b) => a.id - b.id;

// --- The cases -------------------------------------------------------------

/**
 * Every case, by name suffix. `subject` is Atrium, `baseline` raw Kysely;
 * both get the op number `i` (so successive ops touch different rows) and
 * a per-case context from `prepare`. `cleanup` runs after each op, untimed.
 * `normalise` turns a result into plain data that must be equal on both sides.
 */
export const ORM_CASES = {
  'get-pk': {
    kind: 'read',
    subject: ({ Post }, i) => Post.objects.get({ id: 1 + ((i * 7_919) % POSTS) }),
    baseline: async ({ raw, map }, i) => map.toPost(await raw.selectFrom(POST_TABLE).selectAll().where('id', '=', 1 + ((i * 7_919) % POSTS)).executeTakeFirstOrThrow()),
    normalise: plainPost,
  },

  'filter-100': {
    kind: 'read',
    subject: ({ Post }, i) => {
      const low = rangeStart(i, PAGE, POSTS);
      return Post.objects.filter({ views: { gte: low, lt: low + PAGE } }).orderBy('id');
    },
    baseline: async ({ raw, map }, i) => {
      const low = rangeStart(i, PAGE, POSTS);
      const rows = await raw.selectFrom(POST_TABLE).selectAll().where('views', '>=', low).where('views', '<', low + PAGE).orderBy('id').execute();
      return rows.map(map.toPost);
    },
    normalise: (posts) => posts.map(plainPost),
    expectLength: PAGE,
  },

  'select-related-100': {
    kind: 'read',
    subject: ({ Post }, i) => {
      const low = rangeStart(i, PAGE, POSTS);
      return Post.objects.filter({ views: { gte: low, lt: low + PAGE } }).selectRelated('author').orderBy('id');
    },
    baseline: async ({ raw, map }, i) => {
      const low = rangeStart(i, PAGE, POSTS);
      const rows = await raw
        .selectFrom(`${POST_TABLE} as p`)
        .innerJoin(`${AUTHOR_TABLE} as a`, 'a.id', 'p.author_id')
        .selectAll('p')
        .select(['a.id as a_id', 'a.name as a_name', 'a.email as a_email', 'a.active as a_active', 'a.joined_at as a_joined_at'])
        .where('p.views', '>=', low)
        .where('p.views', '<', low + PAGE)
        .orderBy('p.id')
        .execute();
      return rows.map((row) => {
        const post = map.toPost(row);
        post.author = map.toAuthor({ id: row.a_id, name: row.a_name, email: row.a_email, active: row.a_active, joined_at: row.a_joined_at });
        return post;
      });
    },
    normalise: (posts) => posts.map((post) => ({ ...plainPost(post), author: plainAuthor(post.author) })),
    expectLength: PAGE,
  },

  'prefetch-100x10': {
    kind: 'read',
    subject: ({ Author, Authors }, i) => {
      const low = 1 + rangeStart(i, CHILDREN_PARENTS, Authors);
      return Author.objects.filter({ id: { gte: low, lt: low + CHILDREN_PARENTS } }).orderBy('id').prefetchRelated('posts');
    },
    baseline: async ({ raw, map, Authors }, i) => {
      const low = 1 + rangeStart(i, CHILDREN_PARENTS, Authors);
      const authors = (await raw.selectFrom(AUTHOR_TABLE).selectAll().where('id', '>=', low).where('id', '<', low + CHILDREN_PARENTS).orderBy('id').execute()).map(map.toAuthor);
      const byAuthor = new Map();
      for (const author of authors) {
        author.posts = [];
        byAuthor.set(author.id, author);
      }
      if (authors.length === 0) return authors;
      const rows = await raw
        .selectFrom(POST_TABLE)
        .selectAll()
        .where(
          'author_id',
          'in',
          authors.map((author) => author.id),
        )
        .execute();
      for (const row of rows) byAuthor.get(row.author_id).posts.push(map.toPost(row));
      return authors;
    },
    normalise: (authors, side) =>
      authors.map((author) => ({
        ...plainAuthor(author),
        posts: (side === 'subject' ? author.posts.loaded : author.posts).map(plainPost).sort(byId),
      })),
    expectLength: CHILDREN_PARENTS,
  },

  'bulk-insert-10000': {
    kind: 'write',
    // Fresh input objects per op, built before the clock starts.
    input: () => Array.from({ length: BULK_ROWS }, (_, i) => seedPost(i)),
    subject: ({ Post }, _i, data) => Post.objects.bulkCreate(data, { batchSize: BULK_BATCH }),
    baseline: async ({ raw, map }, _i, data) => {
      for (let start = 0; start < data.length; start += BULK_BATCH) {
        const chunk = data.slice(start, start + BULK_BATCH);
        const ids = await raw.insertInto(POST_TABLE).values(chunk.map(map.postValues)).returning('id').execute();
        for (let j = 0; j < chunk.length; j++) chunk[j].id = ids[j].id;
      }
      return data;
    },
    cleanup: ({ raw }) => raw.deleteFrom(POST_TABLE).where('id', '>', POSTS).execute(),
    // Ids differ between the two sides' inserts: compare everything else, and that ids were set.
    normalise: (posts) => posts.map((post) => ({ ...plainPost(post), id: Number.isInteger(post.id) && post.id > POSTS })),
    expectLength: BULK_ROWS,
  },

  'tx-1000-updates': {
    kind: 'write',
    // Both sides hold the same 1,000 loaded posts and save every column of each, as save() does.
    prepare: async ({ Post, raw, map }) => ({
      instances: await Post.objects.filter({ id: { lte: TX_UPDATES } }).orderBy('id'),
      objects: (await raw.selectFrom(POST_TABLE).selectAll().where('id', '<=', TX_UPDATES).orderBy('id').execute()).map(map.toPost),
    }),
    subject: ({ orm, prepared }) =>
      orm.atomic(async () => {
        for (const post of prepared.instances) {
          post.published = !post.published;
          await post.save();
        }
        return prepared.instances;
      }),
    baseline: ({ raw, map, prepared }) =>
      raw.transaction().execute(async (trx) => {
        for (const post of prepared.objects) {
          post.published = !post.published;
          await trx.updateTable(POST_TABLE).set(map.postValues(post)).where('id', '=', post.id).execute();
        }
        return prepared.objects;
      }),
    // What was written must be what the objects hold: read the rows back.
    normalise: async (posts, _side, { raw, map }) => {
      const rows = (await raw.selectFrom(POST_TABLE).selectAll().where('id', '<=', TX_UPDATES).orderBy('id').execute()).map(map.toPost);
      return { objects: posts.map(plainPost), rows: rows.map(plainPost), written: rows.every((row, i) => row.published === posts[i].published) };
    },
    expectLength: TX_UPDATES,
  },
};

/** The per-database context cases run with. */
export function caseContext(db, orm) {
  return { ...db, orm, Authors: AUTHORS, map: rowMappers(db.engine), prepared: null };
}
