import { userInfo } from 'node:os';
import type { CommandContext, ManagementCommand } from '@atrium/core';
import { AuthCommandError } from '../errors.js';
import { passwordValidators } from '../passwords/validators/validate-password.js';
import type { Prompter } from '../prompts/prompter.js';
import { terminalPrompter } from '../prompts/terminal-prompter.js';
import type { UserMethods } from '../users/user-methods.js';
import { getUserModel } from '../users/user-model.js';
import { userModelConfig } from '../users/user-model-config.js';
import { askNewPassword } from '../prompts/ask-new-password.js';

type EditableUser = UserMethods & Record<string, unknown> & { save(options?: { updateFields?: readonly string[] }): Promise<void> };

/**
 * `manage changepassword [USERNAME]`: set a user's password (default: the
 * user named like the account running the command), asked twice without
 * echo and checked by AUTH_PASSWORD_VALIDATORS; three failed tries abort.
 * The user's existing sessions stop working (their session auth hash changes).
 * @example const command = changepasswordCommand({ prompter: () => new ScriptedPrompter(['new pass', 'new pass']) });
 */
export function changepasswordCommand(options: { prompter?: (context: CommandContext) => Prompter } = {}): ManagementCommand {
  return {
    name: 'changepassword',
    description: "Change a user's password",
    arguments: [{ name: 'username', description: 'the user (default: your login name)', required: false }],
    options: [{ flags: '--database <alias>', description: 'the database the user is in', default: 'default' }],
    async run(context, args, flags) {
      const using = typeof flags['database'] === 'string' ? flags['database'] : 'default';
      const username = args[0] ?? userInfo().username;
      const model = getUserModel();
      const field = userModelConfig(model).usernameField;
      const user = (await model.objects.using(using).filter({ [field]: username } as never).first()) as EditableUser | null;
      if (!user) throw new AuthCommandError('E_USER_NOT_FOUND', `User '${username}' does not exist; check the spelling, or create it with manage createsuperuser.`);
      context.stdout.write(`Changing password for user '${username}'\n`);
      const prompter = options.prompter?.(context) ?? terminalPrompter(process.stdin, context.stdout);
      try {
        const password = await askNewPassword(context, prompter, passwordValidators(context.project!.context), user, { maxTries: 3, username });
        await user.setPassword(password);
        await user.save({ updateFields: ['password'] });
      } finally {
        prompter.close();
      }
      context.stdout.write(`Password changed successfully for user '${username}'\n`);
      return 0;
    },
  };
}

/** The command as the auth app registers it. */
export const changepassword = changepasswordCommand();

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default changepassword;
