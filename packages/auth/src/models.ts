/**
 * The auth app's models: User, Group, Permission (with the user-group,
 * user-permission and group-permission many-to-many join tables), the
 * database session store's SessionRecord and the two-factor TotpDevice.
 * Importing this module declares them; the auth app's module does.
 */
import { Group } from './permissions/group.js';
import { Permission } from './permissions/permission.js';
import { SessionRecord } from './sessions/session-record.js';
import { TotpDevice } from './two-factor/totp-device.js';
import { User, type UserBaseModel } from './users/user.js';

export { User, Group, Permission, SessionRecord, TotpDevice };

/** Every model of the auth app, in dependency order (for createTables in tests and scripts). */
export const authModels = [Permission, Group, User, SessionRecord, TotpDevice] as const;

declare module '@atrium/orm' {
  interface ModelRegistry {
    'auth.Group': typeof Group;
    'auth.Permission': typeof Permission;
    'auth.SessionRecord': typeof SessionRecord;
    'auth.User': UserBaseModel;
    'auth.TotpDevice': typeof TotpDevice;
  }
}
