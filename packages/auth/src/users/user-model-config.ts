import { ImproperlyConfigured } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';

/** What auth knows about a user model besides its fields. */
export interface UserModelConfig {
  /** The field people log in with ('username', or 'email' for e-mail logins). */
  readonly usernameField: string;
  /** The e-mail field password reset writes to. */
  readonly emailField: string;
  /** Fields createsuperuser asks for besides the username field and the password. */
  readonly requiredFields: readonly string[];
  /** Reverse accessor name on Group and Permission (`group.users`). */
  readonly relatedName: string;
}

const configs = new WeakMap<AnyModel, UserModelConfig>();

/** Remember how `model` is used as a user model (defineUserModel calls it). */
export function setUserModelConfig(model: AnyModel, config: UserModelConfig): void {
  configs.set(model, Object.freeze({ ...config, requiredFields: Object.freeze([...config.requiredFields]) }));
}

/**
 * The user-model options of `model`; throws ImproperlyConfigured when it was
 * not declared with defineUserModel().
 * @example userModelConfig(getUserModel()).usernameField // 'username'
 */
export function userModelConfig(model: AnyModel): UserModelConfig {
  const config = configs.get(model);
  if (!config) {
    throw new ImproperlyConfigured(
      `${model.name} is used as the user model but was not declared with defineUserModel(); declare it as defineUserModel('${model.name}', { ...extraFields }) so it has the fields and methods auth needs.`,
    );
  }
  return config;
}

/** True for a model declared with defineUserModel(). */
export function isUserModel(model: AnyModel): boolean {
  return configs.has(model);
}
