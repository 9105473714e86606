/**
 * @atrium/core/discovery — find a project and what its apps contribute
 * without loading them: the settings file, where each INSTALLED_APPS entry
 * lives, and the command files in each app's `commands/` folder. It imports
 * nothing heavy, so `manage --help` can use it without loading the project.
 */
export { findSettings, MODULE_EXTENSIONS } from '../app/find-settings.js';
export { locateApp, type AppLocation } from '../apps/locate-app.js';
export { findCommandFiles, type CommandFile } from '../apps/find-command-files.js';
export { importCommand } from '../apps/import-command.js';
export type { ManagementCommand, CommandContext, CommandArgument, CommandOption } from '../apps/management-command.js';
