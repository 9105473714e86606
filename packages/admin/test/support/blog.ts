import { f, model } from '@atrium/orm';

export const Author = model('blog.Author', { name: f.string({ maxLength: 100 }), email: f.email() }, { ordering: ['name'] });
export const Category = model('blog.Category', { name: f.string({ maxLength: 50 }) }, { verboseNamePlural: 'categories' });
export const Post = model('blog.Post', {
  title: f.string({ maxLength: 200 }),
  slug: f.slug(),
  body: f.text({ blank: true, default: '' }),
  status: f.enum(['draft', 'live'], { default: 'draft', labels: { draft: 'Draft', live: 'Live' } }),
  featured: f.boolean({ default: false }),
  publishedOn: f.date({ null: true, blank: true }),
  author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
  category: f.foreignKey(() => Category, { onDelete: 'PROTECT', null: true, blank: true, relatedName: 'posts' }),
});
export const Comment = model('blog.Comment', { post: f.foreignKey(() => Post, { onDelete: 'CASCADE', relatedName: 'comments' }), text: f.string({ maxLength: 200 }) });
