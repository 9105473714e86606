import { InvalidAppName } from '../errors.js';

// Names that would collide with a project's own folders, tooling, or the framework's apps.
const RESERVED_NAMES = new Set([
  'test', 'tests', 'node_modules', 'dist', 'build', 'static', 'staticfiles', 'templates', 'migrations', 'settings', 'urls',
  'atrium', 'core', 'cli', 'auth', 'admin', 'sessions', 'contenttypes',
]);

// JavaScript reserved words: the name is used as an identifier prefix in generated code and docs.
const JS_RESERVED = new Set([
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new',
  'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'yield',
]);

const APP_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Refuse an app name that cannot be an app label (the same rule as
 * defineApp), or that is reserved. Throws InvalidAppName explaining the fix.
 * @example validateAppName('blog') // ok
 * @example validateAppName('my-blog') // throws: use 'my_blog'
 */
export function validateAppName(name: string): void {
  if (name === '') throw new InvalidAppName('The app name is empty; pass a name such as: manage startapp blog');
  if (!APP_NAME.test(name)) {
    const suggestion = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '');
    const fix = suggestion && suggestion !== name && APP_NAME.test(suggestion) ? `; try '${suggestion}'` : '';
    throw new InvalidAppName(
      `'${name}' is not a valid app name: use lower-case letters, digits and underscores, starting with a letter (it becomes the app label)${fix}.`,
    );
  }
  if (JS_RESERVED.has(name)) throw new InvalidAppName(`'${name}' is a JavaScript reserved word; choose another app name, e.g. '${name}_app'.`);
  if (RESERVED_NAMES.has(name)) {
    throw new InvalidAppName(`'${name}' is reserved (it clashes with a project folder, a tool or a framework app); choose another app name, e.g. '${name}_app'.`);
  }
}
