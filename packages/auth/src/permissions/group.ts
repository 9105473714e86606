import { f, model, type Infer } from '@atrium/orm';
import { Permission } from './permission.js';

/**
 * A named set of permissions; users in the group hold them all
 * (`user.groups.add(editors)`).
 * @example
 * const editors = await Group.objects.create({ name: 'Editors' });
 * await editors.permissions.add(changePost);
 */
export const Group = model(
  'auth.Group',
  {
    name: f.string({ maxLength: 150, unique: true }),
    permissions: f.manyToMany(() => Permission, { relatedName: 'groups', blank: true }),
  },
  { table: 'auth_group', ordering: ['name'], verboseName: 'group' },
);
export type Group = Infer<typeof Group>;
