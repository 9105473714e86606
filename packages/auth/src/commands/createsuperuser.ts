import type { CommandContext, ManagementCommand } from '@atrium/core';
import { AuthCommandError } from '../errors.js';
import { passwordIssues, passwordValidators } from '../passwords/validators/validate-password.js';
import type { Prompter } from '../prompts/prompter.js';
import { terminalPrompter } from '../prompts/terminal-prompter.js';
import { createSuperuser, normalizeUsername } from '../users/create-user.js';
import { getUserModel } from '../users/user-model.js';
import { userModelConfig } from '../users/user-model-config.js';
import { askNewPassword } from '../prompts/ask-new-password.js';
import { fieldLabel, userFieldProblems } from '../prompts/user-input.js';

/** Where createsuperuser's questions go; tests pass a ScriptedPrompter. */
export interface CreatesuperuserOptions {
  prompter?: (context: CommandContext) => Prompter;
  /** Environment read with --no-input (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * `manage createsuperuser`: interactive (username, the user model's
 * required fields, the password twice without echo, checked by
 * AUTH_PASSWORD_VALIDATORS with the option to bypass), or for scripts
 * `--no-input --username U --email E` with the password from
 * ATRIUM_SUPERUSER_PASSWORD (validated; without it the account gets an
 * unusable password).
 * @example const command = createsuperuserCommand({ prompter: () => new ScriptedPrompter(['ada', 'ada@example.com', 'pw', 'pw']) });
 */
export function createsuperuserCommand(options: CreatesuperuserOptions = {}): ManagementCommand {
  return {
    name: 'createsuperuser',
    description: 'Create a superuser (every permission, admin access)',
    options: [
      { flags: '--username <username>', description: 'the username (required with --no-input)' },
      { flags: '--email <email>', description: 'the e-mail address' },
      { flags: '--no-input', description: 'ask nothing: take the password from ATRIUM_SUPERUSER_PASSWORD' },
      { flags: '--database <alias>', description: 'the database to create the user in', default: 'default' },
    ],
    async run(context, _args, flags) {
      const env = options.env ?? process.env;
      const using = typeof flags['database'] === 'string' ? flags['database'] : 'default';
      const given = { username: str(flags['username']), email: str(flags['email']) };
      if (flags['input'] === false) {
        await createNonInteractive(context, given, using, env);
      } else {
        const prompter = options.prompter?.(context) ?? terminalPrompter(process.stdin, context.stdout);
        try {
          await createInteractive(context, prompter, given, using);
        } finally {
          prompter.close();
        }
      }
      context.stdout.write('Superuser created successfully.\n');
      return 0;
    },
  };
}

/** The command as the auth app registers it. */
export const createsuperuser = createsuperuserCommand();

interface Given {
  username: string | undefined;
  email: string | undefined;
}

async function createInteractive(context: CommandContext, prompter: Prompter, given: Given, using: string): Promise<void> {
  const model = getUserModel();
  const config = userModelConfig(model);
  const data: Record<string, string> = {};
  for (const name of [config.usernameField, ...config.requiredFields]) {
    const preset = name === config.usernameField ? given.username : name === config.emailField ? given.email : undefined;
    for (;;) {
      const raw = preset ?? (await prompter.ask(`${fieldLabel(model, name)}: `));
      const value = name === config.usernameField ? normalizeUsername(raw.trim()) : raw.trim();
      const problems = await userFieldProblems(model, name, value, { using, required: name === config.usernameField });
      if (problems.length === 0) {
        data[name] = value;
        break;
      }
      for (const problem of problems) context.stderr.write(`Error: ${problem}\n`);
      // A value given on the command line is not asked again: fail instead of looping.
      if (preset !== undefined) throw new AuthCommandError('E_CREATESUPERUSER_INVALID', `${fieldLabel(model, name)} '${preset}' is not acceptable: ${problems.join(' ')}`);
    }
  }
  const password = await askNewPassword(context, prompter, passwordValidators(context.project!.context), data, { allowBypass: true });
  await createSuperuser({ ...data, password }, { using });
}

async function createNonInteractive(context: CommandContext, given: Given, using: string, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const model = getUserModel();
  const config = userModelConfig(model);
  const data: Record<string, string> = {};
  for (const name of [config.usernameField, ...config.requiredFields]) {
    const envName = `ATRIUM_SUPERUSER_${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
    const fromFlag = name === config.usernameField ? given.username : name === config.emailField ? given.email : undefined;
    const raw = (fromFlag ?? env[envName] ?? '').trim();
    const value = name === config.usernameField ? normalizeUsername(raw) : raw;
    if (name === config.usernameField && value === '') {
      throw new AuthCommandError('E_CREATESUPERUSER_USERNAME_REQUIRED', `--no-input needs the username: pass --username <name> (or set ${envName}).`);
    }
    const problems = await userFieldProblems(model, name, value, { using, required: name === config.usernameField });
    if (problems.length > 0) throw new AuthCommandError('E_CREATESUPERUSER_INVALID', `${fieldLabel(model, name)} '${value}' is not acceptable: ${problems.join(' ')}`);
    data[name] = value;
  }
  const password = env['ATRIUM_SUPERUSER_PASSWORD'];
  if (password === undefined || password === '') {
    context.stderr.write('Note: ATRIUM_SUPERUSER_PASSWORD is not set, so the superuser has no usable password; set one with `manage changepassword`.\n');
    await createSuperuser({ ...data, password: null }, { using });
    return;
  }
  const issues = await passwordIssues(password, passwordValidators(context.project!.context), data);
  if (issues.length > 0) {
    throw new AuthCommandError('E_CREATESUPERUSER_WEAK_PASSWORD', `ATRIUM_SUPERUSER_PASSWORD was refused: ${issues.map((issue) => issue.message).join(' ')}`);
  }
  await createSuperuser({ ...data, password }, { using });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default createsuperuser;
