import { ImproperlyConfigured } from '@atrium/core';
import { getModel, hasModel, type AnyModel } from '@atrium/orm';
import { userModelConfig } from './user-model-config.js';
import type { ConfiguredUserModel, UserModel } from './user-model-types.js';

/** AUTH_USER_MODEL of the running project (the auth app's ready() sets it). */
let label = 'auth.User';

/**
 * Use the model labelled `modelLabel` as the user model. The auth app calls
 * it at start-up with AUTH_USER_MODEL; tests may call it directly.
 * @example setUserModel('accounts.Member');
 */
export function setUserModel(modelLabel: string): void {
  label = modelLabel;
}

/** The AUTH_USER_MODEL label in use ('auth.User' unless a project swapped it). */
export function userModelLabel(): string {
  return label;
}

/**
 * The user model (AUTH_USER_MODEL, default auth.User): use it instead of
 * importing User, so code keeps working in projects with a custom user model.
 * @example const admins = await getUserModel().objects.filter({ isSuperuser: true }).count();
 */
export function getUserModel(): UserModel<ConfiguredUserModel> {
  if (!hasModel(label)) {
    throw new ImproperlyConfigured(
      `AUTH_USER_MODEL refers to '${label}', which is not declared. Declare it with defineUserModel('${label}', {...}) in that app's models.ts, and list the app in INSTALLED_APPS.`,
    );
  }
  const model: AnyModel = getModel(label);
  userModelConfig(model);
  return model as UserModel<ConfiguredUserModel>;
}
