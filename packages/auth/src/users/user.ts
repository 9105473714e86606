import { defineUserModel, type UserOf } from './define-user-model.js';

/**
 * The built-in user model (table auth_user). Projects that need other
 * fields declare their own with defineUserModel and set AUTH_USER_MODEL;
 * generic code uses getUserModel() rather than this import.
 * @example const ada = await createUser({ username: 'ada', email: 'ada@example.com', password: 'correct horse battery staple' });
 */
export const User = defineUserModel('auth.User', {}, { table: 'auth_user', verboseName: 'user' });
export type User = UserOf<typeof User>;
