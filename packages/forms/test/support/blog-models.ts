import { f, model } from '@atrium/orm';

export const Author = model('blog.Author', {
  name: f.string({ maxLength: 100 }),
  email: f.email({ unique: true }),
});

export const Tag = model('blog.Tag', { name: f.string({ maxLength: 30, unique: true }) }, { ordering: ['name'] });

export const Post = model(
  'blog.Post',
  {
    title: f.string({ maxLength: 200, helpText: 'Keep it short.' }),
    slug: f.slug(),
    body: f.text({ blank: true, default: '' }),
    status: f.enum(['draft', 'live'], { default: 'draft', labels: { draft: 'Draft', live: 'Live' } }),
    rating: f.integer({ null: true }),
    price: f.decimal({ maxDigits: 6, decimalPlaces: 2, default: '0.00' }),
    featured: f.boolean({ default: false }),
    publishedOn: f.date({ null: true }),
    createdAt: f.datetime({ autoNowAdd: true }),
    author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
    editor: f.foreignKey(() => Author, { onDelete: 'SET_NULL', null: true, relatedName: 'edited' }),
    tags: f.manyToMany(() => Tag, { relatedName: 'posts' }),
  },
  { ordering: ['id'], uniqueTogether: [['author', 'slug']] },
);

export const Comment = model('blog.Comment', {
  post: f.foreignKey(() => Post, { onDelete: 'CASCADE', relatedName: 'comments' }),
  text: f.string({ maxLength: 500 }),
  score: f.integer({ default: 0 }),
});

export const blogModels = [Author, Tag, Post, Comment];
