import { f, model, type Infer } from '@atrium/orm';

/**
 * A permission, named `app_label.codename` ('blog.change_post'). The
 * view/add/change/delete permissions of every installed model are created
 * after `migrate` (see syncPermissions); projects add their own with
 * `Permission.objects.create(...)` or in a data migration. Django keys them
 * by a content type; here the app label and model name are stored directly.
 * @example await Permission.objects.create({ appLabel: 'blog', model: 'post', codename: 'publish_post', name: 'Can publish post' });
 */
export const Permission = model(
  'auth.Permission',
  {
    name: f.string({ maxLength: 255 }),
    /** The app the permission belongs to ('blog'); the part before the dot in 'blog.change_post'. */
    appLabel: f.string({ maxLength: 100 }),
    /** The model it is about, lower-case ('post'); '' for app-wide permissions. */
    model: f.string({ maxLength: 100, default: '' }),
    codename: f.string({ maxLength: 100 }),
  },
  {
    table: 'auth_permission',
    ordering: ['appLabel', 'model', 'codename'],
    uniqueTogether: [['appLabel', 'codename']],
    verboseName: 'permission',
  },
);
export type Permission = Infer<typeof Permission>;

/**
 * The `'app_label.codename'` string of a permission row.
 * @example permissionName({ appLabel: 'blog', codename: 'change_post' }) // 'blog.change_post'
 */
export function permissionName(permission: { readonly appLabel: string; readonly codename: string }): string {
  return `${permission.appLabel}.${permission.codename}`;
}
