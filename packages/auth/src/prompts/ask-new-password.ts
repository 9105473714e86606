import type { CommandContext } from '@atrium/core';
import { AuthCommandError } from '../errors.js';
import type { PasswordUser } from '../passwords/validators/password-validator.js';
import type { PasswordValidator } from '../passwords/validators/password-validator.js';
import { passwordIssues } from '../passwords/validators/validate-password.js';
import type { Prompter } from './prompter.js';

/**
 * Ask for a new password twice (hidden) until the two match, it is not
 * blank and it passes the validators — or, with `allowBypass`, the user
 * chooses to keep it anyway (Django's createsuperuser). Gives up after
 * `maxTries` (changepassword's limit of 3).
 */
export async function askNewPassword(
  context: CommandContext,
  prompter: Prompter,
  validators: readonly PasswordValidator[],
  user: PasswordUser,
  options: { allowBypass?: boolean; maxTries?: number; username?: string } = {},
): Promise<string> {
  const maxTries = options.maxTries ?? Number.POSITIVE_INFINITY;
  for (let tries = 1; ; tries++) {
    const password = await prompter.askHidden('Password: ');
    const again = await prompter.askHidden('Password (again): ');
    let ok = true;
    if (password !== again) {
      context.stderr.write("Error: Your passwords didn't match.\n");
      ok = false;
    } else if (password.trim() === '') {
      context.stderr.write("Error: Blank passwords aren't allowed.\n");
      ok = false;
    } else {
      const issues = await passwordIssues(password, validators, user);
      if (issues.length === 0) return password;
      for (const issue of issues) context.stderr.write(`${issue.message}\n`);
      if (options.allowBypass) {
        const answer = await prompter.ask('Bypass password validation and create user anyway? [y/N]: ');
        if (/^y(es)?$/i.test(answer.trim())) return password;
      }
      ok = false;
    }
    if (!ok && tries >= maxTries) {
      throw new AuthCommandError('E_PASSWORD_NOT_CHANGED', `Aborting password change${options.username ? ` for user '${options.username}'` : ''} after ${tries} attempts.`);
    }
  }
}
