import { f, model, type AnyModel, type Infer } from '@atrium/orm';
import { getUserModel } from '../users/user-model.js';

/**
 * A user's authenticator (TOTP, RFC 6238) and recovery codes (table
 * auth_totp_device). One per user; it exists only once confirmed with a
 * code, so a half-finished enrolment never locks anyone out. Recovery codes
 * are stored as SHA-256 hashes and removed as they are used.
 * @example const device = await TotpDevice.objects.filter({ userId: user.pk }).first();
 */
export const TotpDevice = model(
  'auth.TotpDevice',
  {
    // The user model is looked up when the relation is used, so a custom AUTH_USER_MODEL is followed.
    // No database constraint: auth's migration cannot know which table a project's user model uses;
    // the ORM still applies CASCADE when a user is deleted.
    // Typed as any model: the user model's type refers back to this one through ModelRegistry.
    user: f.oneToOne((): AnyModel => getUserModel(), { onDelete: 'CASCADE', relatedName: '+', dbConstraint: false }),
    /** Base32 secret shared with the authenticator app. */
    secret: f.string({ maxLength: 64 }),
    /** Time step of the last accepted code: codes of that step or earlier are refused (no replay). */
    lastUsedStep: f.integer({ null: true }),
    /** Hashes of the recovery codes not used yet. */
    recoveryCodes: f.json<string[]>({ default: () => [] }),
    confirmedAt: f.datetime({ autoNowAdd: true }),
  },
  { table: 'auth_totp_device', verboseName: 'TOTP device' },
);
export type TotpDevice = Infer<typeof TotpDevice>;
