/**
 * @atrium/auth — users, groups and permissions, login/logout with pluggable
 * backends, passwords (argon2id), sessions (database, Redis, signed
 * cookies), CSRF, flash messages, login throttling, two-factor (TOTP),
 * password reset, e-mail and view guards. Install the app with
 * `INSTALLED_APPS: ['@atrium/orm', '@atrium/auth']`; its middleware is
 * named in MIDDLEWARE and its pages are `authRoutes`.
 */
import './request-state.js';

export { authSettingsSchema, authSettings, parseAuthSettings, type AuthSettings, type AuthSettingsInput } from './settings.js';
export {
  MAX_PASSWORD_LENGTH,
  PasswordValidationError,
  PasswordTooLong,
  UnknownPasswordHasher,
  CsrfFailure,
  SessionStoreUnavailable,
  SessionCookieTooLarge,
  ThrottleUnavailable,
  EmailError,
  UserNotLoaded,
  TwoFactorError,
  AuthCommandError,
} from './errors.js';

export type { PasswordHasher } from './passwords/password-hasher.js';
export { Argon2Hasher, ARGON2_DEFAULTS, type Argon2Parameters } from './passwords/argon2-hasher.js';
export { ScryptHasher, SCRYPT_DEFAULTS, type ScryptParameters } from './passwords/scrypt-hasher.js';
export {
  PasswordHasherRegistry,
  registerPasswordHasher,
  makeUnusablePassword,
  isPasswordUsable,
  type PasswordHasherFactory,
  type PasswordSetter,
} from './passwords/hasher-registry.js';
export { makePassword, checkPassword, dummyVerify, passwordHashers, setDefaultPasswordHashers, defaultPasswordHashers } from './passwords/passwords.js';
export type { PasswordValidator, PasswordIssue, PasswordUser } from './passwords/validators/password-validator.js';
export { MinimumLengthValidator } from './passwords/validators/minimum-length-validator.js';
export { CommonPasswordValidator, DEFAULT_COMMON_PASSWORDS_FILE } from './passwords/validators/common-password-validator.js';
export { NumericPasswordValidator } from './passwords/validators/numeric-password-validator.js';
export { UserAttributeSimilarityValidator } from './passwords/validators/user-attribute-similarity-validator.js';
export {
  validatePassword,
  passwordIssues,
  passwordHelpTexts,
  passwordValidators,
  buildPasswordValidators,
  registerPasswordValidator,
  type PasswordValidatorFactory,
} from './passwords/validators/validate-password.js';

export { csrfMiddleware, getCsrfToken, rotateCsrfToken, csrfActive, CSRF_SESSION_KEY } from './csrf/csrf-middleware.js';
export { csrfExempt, isCsrfExempt } from './csrf/csrf-exempt.js';
export { CsrfReason } from './csrf/csrf-reasons.js';
export { generateCsrfSecret, maskCsrfSecret, unmaskCsrfToken, csrfTokenMatches, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH } from './csrf/csrf-token.js';

export type { SessionStore, SessionData } from './sessions/session-store.js';
export { Session, type SessionOptions } from './sessions/session.js';
export { sessionMiddleware } from './sessions/session-middleware.js';
export { sessionStore, sessionEngineName, registerSessionEngine, type SessionEngineFactory } from './sessions/session-engines.js';
export { generateSessionKey, isValidSessionKey } from './sessions/session-key.js';
export { MemorySessionStore } from './sessions/stores/memory-session-store.js';
export { SignedCookieSessionStore, type SignedCookieSessionStoreOptions } from './sessions/stores/signed-cookie-session-store.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './sessions/stores/redis-session-store.js';
export { DatabaseSessionStore, type DatabaseSessionStoreOptions } from './sessions/stores/database-session-store.js';

export { Messages } from './messages/messages.js';
export { Message, MESSAGE_LEVELS, type MessageLevel, type StoredMessage } from './messages/message.js';
export { messageMiddleware } from './messages/message-middleware.js';

export type { ThrottleStore } from './throttle/throttle-store.js';
export { MemoryThrottleStore } from './throttle/memory-throttle-store.js';
export { RedisThrottleStore } from './throttle/redis-throttle-store.js';
export { LoginThrottle, loginThrottle, useLoginThrottle, throttleOptions, type LoginThrottleOptions, type ThrottleDecision } from './throttle/login-throttle.js';

export { generateTotpSecret, hotp, totp, totpStep, verifyTotp, otpauthUri, type OtpAlgorithm, type TotpOptions, type VerifyTotpOptions, type TotpVerification, type OtpauthUriOptions } from './otp/totp.js';
export { base32Encode, base32Decode } from './otp/base32.js';
export { generateRecoveryCodes, hashRecoveryCode, useRecoveryCode } from './otp/recovery-codes.js';

export type { EmailBackend } from './email/email-backend.js';
export type { EmailMessage, EmailAttachment } from './email/email-message.js';
export { sendMail, emailBackend, type SendMailOptions } from './email/send-mail.js';
export { renderMessage } from './email/render-message.js';
export { ConsoleEmailBackend } from './email/backends/console-email-backend.js';
export { FileEmailBackend } from './email/backends/file-email-backend.js';
export { SmtpEmailBackend, type SmtpEmailBackendOptions } from './email/backends/smtp-email-backend.js';
export { MemoryEmailBackend, outbox } from './email/backends/memory-email-backend.js';

export { AnonymousUser, type AuthUser } from './guards/auth-user.js';
export { isSafeRedirect, type SafeRedirectOptions } from './guards/is-safe-redirect.js';
export {
  loginRequired,
  permissionRequired,
  staffRequired,
  redirectToLogin,
  redirectWithNext,
  safeNextUrl,
  currentUser,
  type GuardOptions,
  type PermissionGuardOptions,
  type GuardableView,
} from './guards/guards.js';
export { resolveUrl, withNext } from './guards/resolve-url.js';

// Users, groups, permissions.
export { User, Group, Permission, SessionRecord, TotpDevice, authModels } from './models.js';
export { permissionName } from './permissions/permission.js';
export { defineUserModel, type UserModelOptions, type UserModelFields, type UserFieldChanges, type AnyUserModel, type DefaultUserRelatedName, type WithImplicitPk } from './users/define-user-model.js';
export type { UserOf, UserModel, UserManagerMethods, UserModelRegistry, ConfiguredUserModel } from './users/user-model-types.js';
export { userFields, type UserFields } from './users/user-fields.js';
export type { UserMethods } from './users/user-methods.js';
export { getUserModel, setUserModel, userModelLabel } from './users/user-model.js';
export { userModelConfig, isUserModel, type UserModelConfig } from './users/user-model-config.js';
export { createUser, createSuperuser, normalizeUsername, normalizeEmail, type CreateUserData } from './users/create-user.js';
export { clearPermissionCache } from './permissions/permission-cache.js';
export { createPermissions, syncPermissions, defaultPermissions, DEFAULT_PERMISSIONS, type PermissionSpec, type DefaultPermission } from './permissions/create-permissions.js';

// Authentication.
export type { AuthenticationBackend, Credentials } from './backends/authentication-backend.js';
export { ModelBackend } from './backends/model-backend.js';
export {
  registerAuthenticationBackend,
  authenticationBackends,
  setDefaultAuthenticationBackends,
  defaultAuthenticationBackends,
  type AuthenticationBackendFactory,
} from './backends/backend-registry.js';
export { authenticate } from './login/authenticate.js';
export { authenticateThrottled, type ThrottledLogin } from './login/throttled-authenticate.js';
export { login, logout, updateSessionAuthHash } from './login/login.js';
export { getUser } from './login/user-slot.js';
export { authMiddleware } from './login/auth-middleware.js';
export { authContextProcessor, type TemplatePermissions } from './login/auth-context-processor.js';
export { SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, sessionAuthHash } from './login/session-auth.js';

// Password reset tokens.
export { PasswordResetTokenGenerator, encodeUid, decodeUid, type PasswordResetTokenOptions, type TokenUser } from './tokens/password-reset-token.js';

// Two-factor authentication.
export { enableTotp, verifySecondFactor, regenerateRecoveryCodes, disableTotp, totpDevice, type SecondFactorResult } from './two-factor/totp-devices.js';
export { isTwoFactorVerified, markTwoFactorVerified, beginPendingLogin } from './two-factor/two-factor-session.js';

// Views, forms and routes.
export { authRoutes } from './views/auth-routes.js';
export { loginView, INVALID_LOGIN } from './views/login-view.js';
export { logoutView } from './views/logout-view.js';
export { passwordChangeView, passwordChangeDoneView } from './views/password-change-views.js';
export { passwordResetView, passwordResetDoneView, passwordResetConfirmView, passwordResetCompleteView, setPasswordResetClock } from './views/password-reset-views.js';
export { twoFactorSetupView, twoFactorVerifyView, twoFactorDisableView } from './views/two-factor-views.js';
export { siblingUrl, type AuthRouteName } from './views/sibling-url.js';
export { AuthenticationForm } from './forms/authentication-form.js';
export { PasswordChangeForm, SetPasswordForm, PasswordResetForm, checkNewPassword } from './forms/password-forms.js';
export { TwoFactorCodeForm, PasswordConfirmForm } from './forms/two-factor-forms.js';

// Management commands (registered by the auth app; the factories take a prompt seam for tests).
export { createsuperuser, createsuperuserCommand, type CreatesuperuserOptions } from './commands/createsuperuser.js';
export { changepassword, changepasswordCommand } from './commands/changepassword.js';
export { clearsessions } from './commands/clearsessions.js';
export { ScriptedPrompter, type Prompter } from './prompts/prompter.js';
export { terminalPrompter } from './prompts/terminal-prompter.js';
