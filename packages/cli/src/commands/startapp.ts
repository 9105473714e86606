import { dirname, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { findSettings } from '@atrium/core/discovery';
import type { CliRuntime } from '../cli-runtime.js';
import { appTemplateContext } from '../startapp/app-template.js';
import { renderAppTemplate } from '../startapp/render-app-template.js';

/** `manage startapp <name> [directory]`: create an app folder from templates/app/. */
export function registerStartapp(program: Command, runtime: CliRuntime): void {
  program
    .command('startapp')
    .description('Create a new app folder (app.ts, views.ts, urls.ts, templates/, static/, test/)')
    .argument('<name>', 'app name and label: lower-case letters, digits and underscores')
    .argument('[directory]', 'folder to create the app in (default: the current folder)')
    .addHelpText('after', '\nExamples:\n  manage startapp blog          creates ./blog/\n  manage startapp blog apps     creates ./apps/blog/')
    .action(async (name: string, directory: string | undefined) => {
      const { appDir, files } = await renderAppTemplate({ name, cwd: runtime.cwd, ...(directory !== undefined ? { directory } : {}) });
      runtime.print(`Created app '${name}' in ${displayPath(runtime.cwd, appDir)}:`);
      for (const file of files) runtime.print(`  ${file}`);
      runtime.print();
      for (const line of nextSteps(runtime, name, appDir)) runtime.print(line);
    });
}

/** What to add to settings.ts and urls.ts, with paths relative to the project root when there is one. */
function nextSteps(runtime: CliRuntime, name: string, appDir: string): string[] {
  let projectRoot = runtime.cwd;
  let settingsFile = 'settings.ts';
  try {
    const settingsPath = findSettings(runtime.cwd, runtime.settingsModule ?? runtime.env['ATRIUM_SETTINGS_MODULE']);
    projectRoot = dirname(settingsPath);
    settingsFile = displayPath(runtime.cwd, settingsPath);
  } catch {
    // Outside a project: the app is created anyway; the steps use paths relative to here.
  }
  const entry = relative(projectRoot, appDir).split(sep).join('/');
  const variable = `${appTemplateContext(name).appName}Routes`;
  return [
    'Next steps:',
    `  1. Add '${entry}' to INSTALLED_APPS in ${settingsFile}:`,
    `       INSTALLED_APPS: [/* ... */ '${entry}'],`,
    '  2. Include its routes in your root urls.ts:',
    `       import ${variable} from './${entry}/urls.js';`,
    `       include('${name}/', ${variable}, { namespace: '${name}' }),`,
  ];
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : `.${sep}${rel}`;
}
