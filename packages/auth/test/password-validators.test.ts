import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CommonPasswordValidator,
  MinimumLengthValidator,
  NumericPasswordValidator,
  UserAttributeSimilarityValidator,
  PasswordValidationError,
  buildPasswordValidators,
  parseAuthSettings,
  passwordHelpTexts,
  passwordIssues,
  validatePassword,
  DEFAULT_COMMON_PASSWORDS_FILE,
} from '../src/index.js';
import { readFileSync } from 'node:fs';

const defaults = buildPasswordValidators(parseAuthSettings({}));

describe('MinimumLengthValidator', () => {
  it('refuses short passwords with the minimum in the message', () => {
    const v = new MinimumLengthValidator({ minLength: 12 });
    expect(v.validate('elevenchars')).toEqual({ code: 'password_too_short', message: 'This password is too short. It must contain at least 12 characters.' });
    expect(v.validate('twelve chars')).toBeNull();
    expect(v.helpText()).toBe('Your password must contain at least 12 characters.');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(new MinimumLengthValidator({ minLength: 4 }).validate('😀😀😀')).not.toBeNull();
  });

  it('refuses a bad option at construction', () => {
    expect(() => new MinimumLengthValidator({ minLength: 0 })).toThrow(/positive integer/);
  });
});

describe('CommonPasswordValidator', () => {
  it('ships a real list of about a thousand or more common passwords', () => {
    const lines = readFileSync(DEFAULT_COMMON_PASSWORDS_FILE, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThanOrEqual(1000);
    for (const pw of ['123456', 'password', 'qwerty', 'iloveyou', 'letmein', 'dragon', 'monkey', 'trustno1']) expect(lines).toContain(pw);
  });

  it('refuses common passwords case-insensitively', () => {
    const v = new CommonPasswordValidator();
    expect(v.validate('Password')).toEqual({ code: 'password_too_common', message: 'This password is too common.' });
    expect(v.validate('QWERTY123')?.code).toBe('password_too_common');
    expect(v.validate('violet-kettle-orbit-42')).toBeNull();
  });

  it('reads another list from passwordListPath', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrium-pw-'));
    const file = join(dir, 'list.txt');
    writeFileSync(file, '# comment\nHunter2\n\n');
    const v = new CommonPasswordValidator({ passwordListPath: file });
    expect(v.validate('hunter2')?.code).toBe('password_too_common');
    expect(v.validate('password')).toBeNull();
  });
});

describe('NumericPasswordValidator', () => {
  it('refuses digits only, in any script', () => {
    const v = new NumericPasswordValidator();
    expect(v.validate('84937261')).toEqual({ code: 'password_entirely_numeric', message: 'This password is entirely numeric.' });
    expect(v.validate('٣٤٥٦٧٨٩٠')?.code).toBe('password_entirely_numeric');
    expect(v.validate('8493726a')).toBeNull();
  });
});

describe('UserAttributeSimilarityValidator', () => {
  const v = new UserAttributeSimilarityValidator();
  it('refuses a password too close to the username, names or e-mail (and their parts)', () => {
    expect(v.validate('adalovelace1', { username: 'adalovelace' })).toEqual({ code: 'password_too_similar', message: 'The password is too similar to the username.' });
    expect(v.validate('Lovelace!', { username: 'x', email: 'ada.lovelace@example.com' })?.message).toBe('The password is too similar to the email.');
    expect(v.validate('Augusta1', { firstName: 'Augusta' })?.message).toBe('The password is too similar to the first name.');
  });

  it('accepts an unrelated password, or one with no user', () => {
    expect(v.validate('violet-kettle-orbit', { username: 'ada', email: 'ada@example.com' })).toBeNull();
    expect(v.validate('adalovelace')).toBeNull();
  });

  it('is bounded on very long input', () => {
    const started = performance.now();
    v.validate('a'.repeat(4096), { username: 'a'.repeat(4000), email: `${'b'.repeat(2000)}@example.com` });
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('validatePassword', () => {
  it('reports every problem, in validator order, with codes', async () => {
    const error = await validatePassword('1234567', defaults, { username: 'ann' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PasswordValidationError);
    const e = error as PasswordValidationError;
    expect(e.code).toBe('E_PASSWORD_INVALID');
    expect(e.codes).toEqual(['password_too_short', 'password_too_common', 'password_entirely_numeric']);
    expect(e.messages[0]).toBe('This password is too short. It must contain at least 8 characters.');
  });

  it('passes a good password', async () => {
    await expect(validatePassword('violet-kettle-orbit-42', defaults, { username: 'ann', email: 'ann@example.com' })).resolves.toBeUndefined();
  });

  it('refuses a password over the length cap without running validators', async () => {
    expect(await passwordIssues('x'.repeat(5000), defaults)).toEqual([
      { code: 'password_too_long', message: 'This password is too long. It must contain at most 4096 characters.' },
    ]);
  });

  it('builds validators from AUTH_PASSWORD_VALIDATORS with OPTIONS, and names a bad entry', () => {
    const validators = buildPasswordValidators(parseAuthSettings({ AUTH_PASSWORD_VALIDATORS: [{ NAME: 'MinimumLengthValidator', OPTIONS: { minLength: 15 } }] }));
    expect(passwordHelpTexts(validators)).toEqual(['Your password must contain at least 15 characters.']);
    expect(() => buildPasswordValidators(parseAuthSettings({ AUTH_PASSWORD_VALIDATORS: [{ NAME: 'LengthValidator' }] }))).toThrow(
      /AUTH_PASSWORD_VALIDATORS\[0\]\.NAME is 'LengthValidator'/,
    );
    expect(() => buildPasswordValidators(parseAuthSettings({ AUTH_PASSWORD_VALIDATORS: [{ NAME: 'MinimumLengthValidator', OPTIONS: { minLength: -1 } }] }))).toThrow(
      /AUTH_PASSWORD_VALIDATORS\[0\] \(MinimumLengthValidator\) has bad OPTIONS/,
    );
  });
});
