/**
 * Entry point of the short-lived process readInstalledApps() starts: run the
 * settings module (with @atrium/core loaded first and then the TypeScript
 * loader, as CliRuntime does), validate it as loadProject would, and send
 * INSTALLED_APPS to the parent over IPC. Exits as soon as the message is
 * written, whatever the settings module left running. Any failure just ends
 * the process without a message: the caller then loads the project as
 * before, and that load reports the error.
 */
import { pathToFileURL } from 'node:url';
import { registerTypeScriptLoader } from '../typescript-loader.js';

const settingsPath = process.argv[2];
try {
  if (settingsPath === undefined || process.send === undefined) throw new Error('usage: fork(installed-apps-probe.js, [settingsPath]) with an IPC channel');
  const { validateSettings } = await import('@atrium/core');
  await registerTypeScriptLoader();
  const raw = ((await import(pathToFileURL(settingsPath).href)) as { default?: unknown }).default;
  if (typeof raw !== 'object' || raw === null) throw new Error(`${settingsPath} has no settings object as its default export`);
  const settings = validateSettings(raw as Record<string, unknown>, { env: process.env, source: settingsPath });
  process.send({ installedApps: settings.INSTALLED_APPS }, undefined, undefined, () => process.exit(0));
} catch {
  process.exit(1);
}
