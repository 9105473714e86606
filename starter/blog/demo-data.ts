/** The starter's demo content: what `manage demo` puts in the database. */

export const DEMO_USER = { username: 'demo', email: 'demo@example.com', password: 'atrium-demo-password' };

export const DEMO_TAGS = [
  { name: 'Atrium', slug: 'atrium' },
  { name: 'TypeScript', slug: 'typescript' },
  { name: 'Databases', slug: 'databases' },
];

interface DemoPost {
  title: string;
  slug: string;
  body: string;
  tags: string[];
  /** Days before 2026-01-10; null for a draft. */
  daysAgo: number | null;
  comments: Array<{ name: string; body: string }>;
}

export const DEMO_POSTS: DemoPost[] = [
  {
    title: 'Welcome to the starter blog',
    slug: 'welcome',
    body: 'This blog is the starter project of Atrium, built only on its public APIs.\n\nPosts, tags and comments are models in blog/models.ts; the admin at /admin/ edits them.',
    tags: ['atrium'],
    daysAgo: 0,
    comments: [
      { name: 'Ada', body: 'Nice to see the admin, forms and the ORM working together.' },
      { name: 'Grace', body: 'The comment form checks its CSRF token, as every form should.' },
    ],
  },
  {
    title: 'Models and migrations',
    slug: 'models-and-migrations',
    body: 'Declare a model once; makemigrations writes the migration and migrate applies it.',
    tags: ['atrium', 'databases'],
    daysAgo: 1,
    comments: [],
  },
  {
    title: 'Typed queries',
    slug: 'typed-queries',
    body: 'Querysets are lazy, chainable and typed end to end, from filter() to the rows they return.',
    tags: ['typescript', 'databases'],
    daysAgo: 2,
    comments: [{ name: 'Linus', body: 'selectRelated and prefetchRelated keep the list page at three queries.' }],
  },
  {
    title: 'Templates with autoescape',
    slug: 'templates-with-autoescape',
    body: 'Nunjucks templates escape every value unless it is marked safe: <script> stays text.',
    tags: ['atrium'],
    daysAgo: 3,
    comments: [],
  },
  {
    title: 'Forms that validate',
    slug: 'forms-that-validate',
    body: 'Model forms derive their fields from the model and never throw on bad input: errors are shown next to the field.',
    tags: ['atrium', 'typescript'],
    daysAgo: 4,
    comments: [],
  },
  {
    title: 'SQLite and PostgreSQL',
    slug: 'sqlite-and-postgresql',
    body: 'The same project runs on a SQLite file in development and on PostgreSQL in production.',
    tags: ['databases'],
    daysAgo: 5,
    comments: [],
  },
  {
    title: 'A draft nobody sees',
    slug: 'a-draft',
    body: 'Drafts are edited in the admin and never listed on the public pages.',
    tags: [],
    daysAgo: null,
    comments: [],
  },
];

/** The date a demo post was published: a fixed day, so the demo looks the same on every machine. */
export function demoPublishedAt(daysAgo: number | null): Date | null {
  return daysAgo === null ? null : new Date(Date.UTC(2026, 0, 10 - daysAgo, 9, 0, 0));
}
