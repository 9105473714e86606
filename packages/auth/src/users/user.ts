import { defineUserModel } from './define-user-model.js';
import type { UserModel, UserOf } from './user-model-types.js';

/**
 * The built-in user model (table auth_user). Projects that need other
 * fields declare their own with defineUserModel and set AUTH_USER_MODEL;
 * generic code uses getUserModel() rather than this import.
 * @example const ada = await createUser({ username: 'ada', email: 'ada@example.com', password: 'correct horse battery staple' });
 */
const declared = defineUserModel('auth.User', {}, { table: 'auth_user', verboseName: 'user' });
export const User = declared as UserModel<typeof declared>;
/** A user of the built-in model. */
export type User = UserOf<UserBaseModel>;
/**
 * The built-in user model as a plain model type (without the user-typed
 * manager), for type positions: ModelRegistry, Instance<...>.
 */
export type UserBaseModel = typeof declared;
