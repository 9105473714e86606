/**
 * Models shared by the query engine's tests (queryset, lookups, aggregates,
 * instance, types). Each test file gets its own database with these tables.
 */
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';

export const Author = model('qs.Author', {
  name: f.string({ maxLength: 100 }),
  email: f.email({ null: true }),
  age: f.integer({ null: true }),
}, { ordering: ['name'] });

export const Profile = model('qs.Profile', {
  author: f.oneToOne(() => Author, { onDelete: 'CASCADE', relatedName: 'profile' }),
  bio: f.text({ default: '' }),
  country: f.string({ maxLength: 2, default: 'us' }),
});

export const Tag = model('qs.Tag', {
  name: f.string({ maxLength: 50, unique: true }),
}, { ordering: ['name'] });

export const Post = model('qs.Post', {
  title: f.string({ maxLength: 200 }),
  body: f.text({ default: '' }),
  views: f.integer({ default: 0 }),
  likes: f.integer({ default: 0 }),
  rating: f.float({ null: true }),
  price: f.decimal({ maxDigits: 10, decimalPlaces: 2, default: '0.00' }),
  published: f.boolean({ default: false }),
  publishedAt: f.datetime({ null: true }),
  day: f.date({ null: true }),
  status: f.enum(['draft', 'live'], { default: 'draft' }),
  data: f.json<{ tags?: string[]; score?: number }, { null: true }>({ null: true }),
  author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
  editor: f.foreignKey(() => Author, { onDelete: 'SET_NULL', null: true, relatedName: 'edited' }),
  tags: f.manyToMany(() => Tag, { relatedName: 'posts' }),
  createdAt: f.datetime({ autoNowAdd: true }),
  updatedAt: f.datetime({ autoNow: true }),
}, { ordering: ['id'] });

export const Comment = model('qs.Comment', {
  post: f.foreignKey(() => Post, { onDelete: 'CASCADE', relatedName: 'comments' }),
  text: f.text(),
  score: f.integer({ default: 0 }),
});

export const allQueryModels = [Author, Profile, Tag, Post, Comment];

declare module '../src/model/model-types.js' {
  interface ModelRegistry {
    'qs.Author': typeof Author;
    'qs.Profile': typeof Profile;
    'qs.Tag': typeof Tag;
    'qs.Post': typeof Post;
    'qs.Comment': typeof Comment;
  }
}
