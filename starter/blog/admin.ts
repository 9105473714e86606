import { admin, TabularInline } from '@atrium/admin';
import { Comment, Post, Tag } from './models.js';

/** The blog in the admin: filters, search, and a post's comments edited on the post's page. */
admin.register(Tag, { listDisplay: ['name', 'slug'], searchFields: ['name'], str: (tag) => tag.name });

admin.register(Post, {
  listDisplay: ['title', 'author.username', 'status', 'publishedAt'],
  listFilter: ['status', 'publishedAt', 'author'],
  searchFields: ['title', 'body', 'author.username'],
  fieldsets: [
    ['Content', { fields: ['title', 'slug', 'author', 'body', 'tags'] }],
    ['Publishing', { fields: ['status', 'publishedAt'], description: 'Only published posts are on the public blog.' }],
  ],
  inlines: [new TabularInline({ model: Comment, fields: ['name', 'body'], extra: 1 })],
  str: (post) => post.title,
});

admin.register(Comment, {
  listDisplay: ['name', 'post.title', 'createdAt'],
  listFilter: ['createdAt', 'post'],
  searchFields: ['name', 'body'],
  str: (comment) => `Comment by ${comment.name}`,
});
