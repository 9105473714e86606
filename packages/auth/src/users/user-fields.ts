import { f } from '@atrium/orm';
import { Group } from '../permissions/group.js';
import { Permission } from '../permissions/permission.js';

/**
 * The fields every user model has (Django's AbstractUser with
 * PermissionsMixin). A function, because a field object belongs to one model:
 * each user model gets fresh ones. `relatedName` names the reverse accessors
 * on Group and Permission (`group.users`), so two user models never clash.
 * @example const fields = userFields('users');
 */
export function userFields<const R extends string>(relatedName: R) {
  return {
    username: f.string({
      maxLength: 150,
      unique: true,
      helpText: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
      validators: [validUsername],
    }),
    email: f.email({ maxLength: 254, default: '', blank: true }),
    /** The password hash (argon2id PHC string), never the password. */
    password: f.string({ maxLength: 255 }),
    firstName: f.string({ maxLength: 150, default: '', blank: true }),
    lastName: f.string({ maxLength: 150, default: '', blank: true }),
    isActive: f.boolean({ default: true, helpText: 'Unselect this instead of deleting accounts: inactive users cannot log in.' }),
    isStaff: f.boolean({ default: false, helpText: 'Whether the user can log into the admin site.' }),
    isSuperuser: f.boolean({ default: false, helpText: 'Holds every permission without their being assigned.' }),
    lastLogin: f.datetime({ null: true, blank: true }),
    dateJoined: f.datetime({ default: () => new Date() }),
    groups: f.manyToMany(() => Group, { relatedName, blank: true }),
    userPermissions: f.manyToMany(() => Permission, { relatedName, blank: true }),
  };
}

/**
 * The field declarations of userFields(), for typing user models. `R` must
 * be a literal: the reverse accessors on Group and Permission are typed by it.
 */
export type UserFields<R extends string = 'users'> = ReturnType<typeof userFields<R>>;

/** Django's UnicodeUsernameValidator: word characters and @.+-. */
function validUsername(value: string): string | undefined {
  return /^[\p{L}\p{N}_@.+-]+$/u.test(value) ? undefined : 'Enter a valid username. This value may contain only letters, digits and @/./+/-/_ characters.';
}
