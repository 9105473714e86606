/**
 * @atrium/create-app — renders templates/project/ into a new Atrium project.
 * It imports no other Atrium package: it runs before any is installed.
 */
export { main, type MainIo } from './main.js';
export { createApp, type CreateAppOptions, type CreatedApp } from './create-app.js';
export { renderProject, type RenderProjectOptions, type RenderedProject } from './render-project.js';
export { validateProjectName } from './validate-project-name.js';
export { chooseDatabase, type DatabaseChoice, type DatabaseEngine } from './database-choice.js';
export { atriumSource, atriumDependencies, type AtriumSource } from './atrium-dependencies.js';
export { generateSecretKey } from './generate-secret-key.js';
export { parseArguments, USAGE, type CreateAppArguments } from './parse-arguments.js';
export { CreateAppError, InvalidProjectName, TargetNotEmpty, InvalidOption, TemplateMissing, InstallFailed } from './errors.js';
