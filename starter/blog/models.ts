import { f, model } from '@atrium/orm';

/** A tag groups posts; each post has any number (many-to-many). */
export const Tag = model(
  'blog.Tag',
  {
    name: f.string({ maxLength: 50, unique: true }),
    slug: f.slug({ maxLength: 50, unique: true }),
  },
  { ordering: ['name'] },
);

/** A post, written by a user of the site. Only published posts are on the public pages. */
export const Post = model(
  'blog.Post',
  {
    title: f.string({ maxLength: 200 }),
    slug: f.slug({ maxLength: 200, unique: true }),
    // 'auth.User' by label, as Django's settings.AUTH_USER_MODEL: the auth app declares it.
    author: f.foreignKey('auth.User', { onDelete: 'CASCADE', relatedName: 'posts' }),
    body: f.text(),
    status: f.enum(['draft', 'published'], { default: 'draft', labels: { draft: 'Draft', published: 'Published' } }),
    publishedAt: f.datetime({ null: true, blank: true }),
    tags: f.manyToMany(() => Tag, { relatedName: 'posts', blank: true }),
  },
  { ordering: ['-publishedAt', '-id'] },
);

/** A reader's comment on a post, oldest first. */
export const Comment = model(
  'blog.Comment',
  {
    post: f.foreignKey(() => Post, { onDelete: 'CASCADE', relatedName: 'comments' }),
    name: f.string({ maxLength: 80 }),
    body: f.text(),
    createdAt: f.datetime({ autoNowAdd: true }),
  },
  { ordering: ['createdAt', 'id'] },
);
