import { atomic } from '@atrium/orm';
import type { AuthUser } from '../guards/auth-user.js';
import { generateRecoveryCodes, hashRecoveryCode, useRecoveryCode } from '../otp/recovery-codes.js';
import { verifyTotp } from '../otp/totp.js';
import { TotpDevice } from './totp-device.js';

/** How a second factor was accepted. */
export type SecondFactorResult = { ok: true; method: 'totp' | 'recovery'; recoveryCodesLeft: number } | { ok: false };

/**
 * The user's confirmed authenticator, or null when they have none.
 * @example if (await totpDevice(user)) redirectToVerify();
 */
export function totpDevice(user: AuthUser): Promise<TotpDevice | null> {
  return TotpDevice.objects.filter({ userId: user.pk as number }).first();
}

/**
 * Finish enrolment: when `code` is valid for `secret`, store the device
 * (replacing an older one) with fresh recovery codes, and return the codes
 * in clear — the only time they exist outside the user's hands. Null when
 * the code is wrong.
 * @example const codes = await enableTotp(user, secret, form.code); if (codes) show(codes);
 */
export async function enableTotp(user: AuthUser, secret: string, code: string, options: { time?: number } = {}): Promise<string[] | null> {
  const check = verifyTotp(secret, code, options.time === undefined ? {} : { time: options.time });
  if (!check.ok) return null;
  const codes = generateRecoveryCodes();
  await atomic(async () => {
    await TotpDevice.objects.filter({ userId: user.pk as number }).delete();
    await TotpDevice.objects.create({ userId: user.pk as number, secret, lastUsedStep: check.step, recoveryCodes: codes.map(hashRecoveryCode) });
  });
  return codes;
}

/**
 * Check a second factor: a TOTP code (each accepted once: a replayed code
 * is refused) or a recovery code (removed when used). The device row is
 * locked while it changes, so two requests cannot both use one code.
 * @example const result = await verifySecondFactor(user, form.code); if (result.ok) await login(request, user);
 */
export async function verifySecondFactor(user: AuthUser, code: string, options: { time?: number } = {}): Promise<SecondFactorResult> {
  const typed = code.trim();
  if (typed === '' || typed.length > 64) return { ok: false };
  return atomic(async () => {
    const device = await TotpDevice.objects.filter({ userId: user.pk as number }).selectForUpdate().first();
    if (!device) return { ok: false } as const;
    if (/^\d{6}$/.test(typed.replace(/\s/g, ''))) {
      const check = verifyTotp(device.secret, typed, { lastUsedStep: device.lastUsedStep, ...(options.time === undefined ? {} : { time: options.time }) });
      if (!check.ok) return { ok: false } as const;
      await TotpDevice.objects.filter({ id: device.id }).update({ lastUsedStep: check.step });
      return { ok: true, method: 'totp', recoveryCodesLeft: device.recoveryCodes.length } as const;
    }
    const used = useRecoveryCode(typed, device.recoveryCodes);
    if (!used.ok) return { ok: false } as const;
    await TotpDevice.objects.filter({ id: device.id }).update({ recoveryCodes: used.remaining });
    return { ok: true, method: 'recovery', recoveryCodesLeft: used.remaining.length } as const;
  });
}

/**
 * Replace the user's recovery codes with new ones, returned in clear once.
 * @example const codes = await regenerateRecoveryCodes(user);
 */
export async function regenerateRecoveryCodes(user: AuthUser): Promise<string[] | null> {
  const codes = generateRecoveryCodes();
  const updated = await TotpDevice.objects.filter({ userId: user.pk as number }).update({ recoveryCodes: codes.map(hashRecoveryCode) });
  return updated === 0 ? null : codes;
}

/**
 * Remove the user's authenticator (and recovery codes).
 * @example await disableTotp(user);
 */
export async function disableTotp(user: AuthUser): Promise<boolean> {
  const { total } = await TotpDevice.objects.filter({ userId: user.pk as number }).delete();
  return total > 0;
}
