import type { CommandFile } from '@atrium/core/discovery';

/**
 * The app commands part of `manage --help`: names grouped by app, as
 * Django's `manage.py help` prints them. Only names, because listing must not
 * import the commands; `manage <command> --help` shows one in full.
 * @example formatAppCommands([{ name: 'migrate', app: '@atrium/orm', file: '...' }]) // '\nCommands from installed apps ...\n  [@atrium/orm]\n    migrate\n'
 */
export function formatAppCommands(commands: readonly CommandFile[]): string {
  if (commands.length === 0) return '';
  const byApp = new Map<string, string[]>();
  for (const command of commands) byApp.set(command.app, [...(byApp.get(command.app) ?? []), command.name]);
  const lines = ['', 'Commands from installed apps (manage <command> --help for their arguments and options):'];
  for (const [app, names] of byApp) lines.push(`  [${app}]`, ...names.map((name) => `    ${name}`));
  return `${lines.join('\n')}\n`;
}
