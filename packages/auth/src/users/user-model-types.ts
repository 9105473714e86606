import type { AnyModel, Condition, InsertData, Instance, OrderPath, QuerySet, Where } from '@atrium/orm';
import type { UserMethods } from './user-methods.js';

/** A user model's instance: its row values, relations and instance methods, plus the user methods. */
export type UserOf<M> = Instance<M> & UserMethods;

/**
 * The manager methods of a user model, typed to return users (instances
 * with hasPerm, checkPassword...). The querysets they start keep that row
 * type through filter(), orderBy() and the rest.
 */
export interface UserManagerMethods<M extends AnyModel> {
  all(): QuerySet<M, UserOf<M>>;
  filter(...conditions: Array<Condition<Where<M>>>): QuerySet<M, UserOf<M>>;
  exclude(...conditions: Array<Condition<Where<M>>>): QuerySet<M, UserOf<M>>;
  get(...conditions: Array<Condition<Where<M>>>): Promise<UserOf<M>>;
  first(): Promise<UserOf<M> | null>;
  last(): Promise<UserOf<M> | null>;
  orderBy(...keys: Array<OrderPath<M, {}>>): QuerySet<M, UserOf<M>>;
  using(alias: string): QuerySet<M, UserOf<M>>;
  create(data: InsertData<M>): Promise<UserOf<M>>;
}

/**
 * A user model typed to give users: its manager, build() and create()
 * return instances with the user methods. (Listed first in the
 * intersection, so these signatures win over the plain model's.)
 */
export type UserModel<M extends AnyModel> = {
  readonly objects: UserManagerMethods<M> & M['objects'];
  build(data: InsertData<M>): UserOf<M>;
  create(data: InsertData<M>): Promise<UserOf<M>>;
} & M;

/**
 * Where a project with a custom user model names its type, so getUserModel()
 * and createUser() are typed by it (AUTH_USER_MODEL is only known at run time):
 * @example
 * const declared = defineUserModel('accounts.Member', { ... });
 * export const Member = declared as UserModel<typeof declared>;
 * declare module '@atrium/auth' {
 *   interface UserModelRegistry { model: typeof declared }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface UserModelRegistry {}

/**
 * The user model's plain model type: the one a project registered in
 * UserModelRegistry, else the built-in one. Use `UserOf<ConfiguredUserModel>`
 * for its users.
 */
export type ConfiguredUserModel = UserModelRegistry extends { model: infer M extends AnyModel } ? M : import('./user.js').UserBaseModel;
