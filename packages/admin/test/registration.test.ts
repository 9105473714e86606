import { describe, expect, expectTypeOf, it } from 'vitest';
import { AdminSite, AlreadyRegistered, NotRegistered, adminSettings, searchCondition, templateNames, type FieldName, type FieldPathOf } from '../src/index.js';
import { Author, Post } from './support/blog.js';

describe('AdminSite registration', () => {
  it('registers, refuses a second registration, unregisters', () => {
    const site = new AdminSite({ name: 'other' });
    const postAdmin = site.register(Post, { listDisplay: ['title', 'author.name'], searchFields: ['^title', '=slug', 'author.name'] });
    expect(site.isRegistered(Post)).toBe(true);
    expect(postAdmin.columns.map((c) => c.label)).toEqual(['title', 'author name']);
    expect(postAdmin.relatedPaths).toEqual(['author']);
    expect(postAdmin.permissionName('change')).toBe('blog.change_post');
    expect(() => site.register(Post)).toThrow(AlreadyRegistered);
    site.unregister(Post);
    expect(() => site.unregister(Post)).toThrow(NotRegistered);
    expect(() => site.adminFor(Author)).toThrow(/not registered on the admin site 'other'/);
  });

  it("names objects by their model admin's str, or by a default one when the model is not registered", () => {
    const site = new AdminSite({ name: 'names' });
    site.register(Author, { str: (a) => `Author ${a.name}` });
    expect(site.strOf(Author, { id: 1, name: 'Ann' })).toBe('Author Ann');
    // Unregistered: the default admin (made once, since changelists call this per row) names it by model and key.
    expect(site.strOf(Post, { id: 7, title: 'T' })).toBe('post object (7)');
    expect(site.strOf(Post, { id: 8, title: 'U' })).toBe('post object (8)');
    site.register(Post, { str: (p) => p.title });
    expect(site.strOf(Post, { id: 7, title: 'T' })).toBe('T');
  });

  it('checks options against the model fields at registration', () => {
    const site = new AdminSite();
    expect(() => site.register(Post, { listFilter: ['titel' as never] })).toThrow(/Unknown field 'titel' in the admin options of blog.Post/);
    expect(() => site.register(Post, { listDisplay: ['title.name' as never] })).toThrow(/'title' in 'title.name' .* is not a foreign key/);
    expect(() => site.register(Post, { listPerPage: 0 })).toThrow(/listPerPage/);
    // @ts-expect-error: options are typed against the model's fields.
    expect(() => site.register(Author, { fields: ['nope'] })).toThrow(/Unknown field 'nope'/);
  });

  it('types options against the model fields', () => {
    const site = new AdminSite();
    expectTypeOf<FieldName<typeof Post>>().toEqualTypeOf<'id' | 'title' | 'slug' | 'body' | 'status' | 'featured' | 'publishedOn' | 'author' | 'category'>();
    expectTypeOf<'author.name'>().toMatchTypeOf<FieldPathOf<typeof Post>>();
    // @ts-expect-error: 'titel' is not a field of Post.
    expect(() => site.register(Post, { listDisplay: ['titel'] })).toThrow(/Unknown field 'titel'/);
    // @ts-expect-error: a search prefix must be followed by a field.
    expect(() => site.register(Post, { searchFields: ['^nope'] })).toThrow(/Unknown field 'nope'/);
    site.register(Post, { listDisplay: ['title', 'author.name', { name: 'upper', value: (p) => p.title.toUpperCase() }], searchFields: ['^title', '=slug', 'author.name'], ordering: ['-publishedOn'] });
  });

  it('builds search conditions: AND across words, OR across fields, prefixes pick the lookup', () => {
    const conditions = searchCondition(['^title', '=slug', 'author.name'], '  orm   ann ') as Array<{ children: unknown[] }>;
    expect(conditions).toHaveLength(2);
    expect(conditions[0]!.children).toEqual([{ title: { istartswith: 'orm' } }, { slug: { iexact: 'orm' } }, { author: { name: { icontains: 'orm' } } }]);
  });

  it('reads ADMIN_* settings and refuses a non-string', () => {
    const app = (settings: Record<string, unknown>) => ({ settings }) as unknown as Parameters<typeof adminSettings>[0];
    expect(adminSettings(app({ ADMIN_SITE_TITLE: 'T' }))).toEqual({ ADMIN_SITE_TITLE: 'T', ADMIN_SITE_HEADER: undefined });
    expect(() => adminSettings(app({ ADMIN_SITE_HEADER: 3 }))).toThrow(/The setting ADMIN_SITE_HEADER must be a string, got 3/);
    expect(new AdminSite({ siteHeader: 'Mine' }).siteHeader(app({ ADMIN_SITE_HEADER: 'Theirs' }))).toBe('Mine');
  });

  it('looks templates up from the most specific', () => {
    const site = new AdminSite();
    expect(templateNames('change_form.html', site.register(Post))).toEqual(['admin/blog/post/change_form.html', 'admin/blog/change_form.html', 'admin/change_form.html']);
  });
});
