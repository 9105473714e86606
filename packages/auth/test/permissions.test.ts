import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermissionDenied } from '@atrium/core';
import { f, model } from '@atrium/orm';
import {
  AnonymousUser,
  ModelBackend,
  Group,
  Permission,
  User,
  clearPermissionCache,
  createPermissions,
  createSuperuser,
  createUser,
  defaultPermissions,
  setDefaultAuthenticationBackends,
  syncPermissions,
  type AuthenticationBackend,
} from '../src/index.js';
import { forEachDatabase } from './support/databases.js';
import { authTables } from './support/site.js';

/** A model of a pretend 'blog' app, to create permissions for. */
const Post = model('blog.Post', { title: f.string({ maxLength: 100 }), authorId: f.integer({ null: true }) }, { table: 'perm_test_blog_post' });
const Comment = model('blog.Comment', { body: f.text() }, { table: 'perm_test_blog_comment', verboseName: 'remark' });

describe('default permissions', () => {
  it('are view, add, change and delete per model, named after the verbose name', () => {
    expect(defaultPermissions(Post).map((p) => [p.appLabel, p.model, p.codename, p.name])).toEqual([
      ['blog', 'post', 'view_post', 'Can view post'],
      ['blog', 'post', 'add_post', 'Can add post'],
      ['blog', 'post', 'change_post', 'Can change post'],
      ['blog', 'post', 'delete_post', 'Can delete post'],
    ]);
    expect(defaultPermissions(Comment)[0]!.name).toBe('Can view remark');
  });

  it('are not made for auto-created many-to-many join models', async () => {
    const { throughModel } = await import('@atrium/orm');
    expect(defaultPermissions(throughModel(User.fields.groups))).toEqual([]);
  });
});

describe('AnonymousUser', () => {
  it('has no permissions and is not authenticated', async () => {
    expect(AnonymousUser.isAuthenticated).toBe(false);
    expect(AnonymousUser.isAnonymous).toBe(true);
    expect(AnonymousUser.pk).toBeNull();
    expect(await AnonymousUser.hasPerm('blog.view_post')).toBe(false);
    expect(await AnonymousUser.hasModulePerms('blog')).toBe(false);
    expect([...(await AnonymousUser.getAllPermissions())]).toEqual([]);
    expect(AnonymousUser.getUsername()).toBe('');
  });
});

forEachDatabase(
  'permissions',
  (db) => {
    beforeAll(() => setDefaultAuthenticationBackends([new ModelBackend()]));
    beforeEach(() => db.flush(authTables()));

    it('createPermissions creates the missing ones once', async () => {
      expect(await createPermissions([Post, Comment])).toBe(8);
      expect(await createPermissions([Post, Comment, Post])).toBe(0);
      await Permission.objects.filter({ codename: 'delete_post' }).delete();
      expect(await createPermissions([Post])).toBe(1);
      expect(await Permission.objects.filter({ appLabel: 'blog' }).count()).toBe(8);
    });

    it('syncPermissions covers every model of the installed apps only', async () => {
      const apps = { all: () => [{ label: 'blog', path: '/nonexistent' }, { label: 'auth', path: '/nonexistent' }] };
      const created = await syncPermissions({ apps } as never);
      expect(created).toBeGreaterThanOrEqual(8 + 4 * 5);
      const codenames = new Set(await Permission.objects.valuesList('codename', { flat: true }));
      for (const codename of ['view_post', 'change_comment', 'add_user', 'delete_group', 'view_permission']) expect(codenames.has(codename)).toBe(true);
      expect(await syncPermissions({ apps } as never)).toBe(0);
    });

    it('hasPerm: active users hold their own and their groups’ permissions, cached per instance', async () => {
      await createPermissions([Post, Comment]);
      const ann = await createUser({ username: 'ann', password: null });
      const changePost = await Permission.objects.get({ appLabel: 'blog', codename: 'change_post' });
      const viewComment = await Permission.objects.get({ appLabel: 'blog', codename: 'view_comment' });
      const editors = await Group.objects.create({ name: 'editors' });
      await editors.permissions.add(viewComment);
      await ann.userPermissions.add(changePost);
      await ann.groups.add(editors);

      const user = await User.objects.get({ username: 'ann' });
      expect(await user.hasPerm('blog.change_post')).toBe(true);
      expect(await user.hasPerm('blog.view_comment')).toBe(true);
      expect(await user.hasPerm('blog.delete_post')).toBe(false);
      expect(await user.hasPerms(['blog.change_post', 'blog.view_comment'])).toBe(true);
      expect(await user.hasPerms(['blog.change_post', 'blog.delete_post'])).toBe(false);
      expect(await user.hasModulePerms('blog')).toBe(true);
      expect(await user.hasModulePerms('shop')).toBe(false);
      expect([...(await user.getAllPermissions())].sort()).toEqual(['blog.change_post', 'blog.view_comment']);

      // Cached on the instance: a permission added now shows up on a freshly loaded user only, or after clearing.
      await user.userPermissions.add(await Permission.objects.get({ codename: 'delete_post' }));
      expect(await user.hasPerm('blog.delete_post')).toBe(false);
      expect(await (await User.objects.get({ username: 'ann' })).hasPerm('blog.delete_post')).toBe(true);
      clearPermissionCache(user);
      expect(await user.hasPerm('blog.delete_post')).toBe(true);
    });

    it('inactive users hold no permissions, not even superusers', async () => {
      await createPermissions([Post]);
      const ann = await createUser({ username: 'ann', password: null, isActive: false });
      await ann.userPermissions.add(await Permission.objects.get({ codename: 'change_post' }));
      const inactive = await User.objects.get({ username: 'ann' });
      expect(await inactive.hasPerm('blog.change_post')).toBe(false);
      expect(await inactive.hasModulePerms('blog')).toBe(false);
      const boss = await createSuperuser({ username: 'boss', password: null, isActive: false });
      expect(await boss.hasPerm('blog.change_post')).toBe(false);
    });

    it('active superusers hold every permission, even ones that do not exist', async () => {
      await createPermissions([Post]);
      const boss = await createSuperuser({ username: 'boss', email: 'Boss@EXAMPLE.com', password: null });
      expect(boss.isStaff).toBe(true);
      expect(boss.email).toBe('Boss@example.com');
      expect(await boss.hasPerm('blog.change_post')).toBe(true);
      expect(await boss.hasPerm('anything.at_all')).toBe(true);
      expect(await boss.hasModulePerms('nothing')).toBe(true);
      expect((await boss.getAllPermissions()).has('blog.view_post')).toBe(true);
      await expect(createSuperuser({ username: 'x', isStaff: false })).rejects.toThrow(/must have isStaff true/);
    });

    it('object permissions come from other backends; a PermissionDenied veto wins', async () => {
      const ann = await createUser({ username: 'ann', password: null });
      const owner: AuthenticationBackend = {
        name: 'owner',
        authenticate: async () => null,
        getUser: async () => null,
        hasPerm: (user, perm, obj) => obj !== undefined && perm === 'blog.change_post' && (obj as { authorId: unknown }).authorId === user.pk,
      };
      setDefaultAuthenticationBackends([new ModelBackend(), owner]);
      try {
        expect(await ann.hasPerm('blog.change_post', { authorId: ann.pk })).toBe(true);
        expect(await ann.hasPerm('blog.change_post', { authorId: -1 })).toBe(false);
        // The model backend answers no for objects (Django's rule).
        expect(await ann.hasPerm('blog.change_post')).toBe(false);
        const veto: AuthenticationBackend = { name: 'veto', authenticate: async () => null, getUser: async () => null, hasPerm: () => { throw new PermissionDenied('no'); } };
        setDefaultAuthenticationBackends([veto, owner]);
        expect(await ann.hasPerm('blog.change_post', { authorId: ann.pk })).toBe(false);
      } finally {
        setDefaultAuthenticationBackends([new ModelBackend()]);
      }
    });

    it('createUser hashes the password and normalises the username; user methods work', async () => {
      const ann = await createUser({ username: 'Ａｎｎ', email: 'ann@EXAMPLE.org', password: 'correct horse battery staple', firstName: 'Ann', lastName: 'Lee' });
      expect(ann.username).toBe('Ann');
      expect(ann.password).toMatch(/^\$argon2id\$/);
      expect(ann.isAuthenticated).toBe(true);
      expect(ann.getFullName()).toBe('Ann Lee');
      expect(ann.getShortName()).toBe('Ann');
      expect(String(ann)).toBe('Ann');
      expect(await ann.checkPassword('correct horse battery staple')).toBe(true);
      expect(await ann.checkPassword('wrong')).toBe(false);
      expect(ann.hasUsablePassword()).toBe(true);
      ann.setUnusablePassword();
      expect(ann.hasUsablePassword()).toBe(false);
      expect(Object.keys(ann.toJSON())).not.toContain('hasPerm');
      await expect(createUser({ username: '  ' })).rejects.toThrow(/needs a non-empty 'username'/);
    });
  },
  { models: () => [...authTables(), Post, Comment] },
);
