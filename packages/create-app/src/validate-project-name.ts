import { builtinModules } from 'node:module';
import { InvalidProjectName } from './errors.js';

// npm's own limit (validate-npm-package-name).
const MAX_LENGTH = 214;
// Characters an npm name may use without URL-encoding, so also safe as a folder name everywhere.
const ALLOWED = /^[a-z0-9._~-]+$/;
// Names npm itself refuses, and folder names with a meaning of their own.
const RESERVED = new Set(['node_modules', 'favicon.ico']);
// npm refuses to install a package into a project of the same name.
const DEPENDENCY_NAMES = new Set(['vitest', 'typescript', 'tsx']);

/**
 * Check that `name` works both as the npm package name and as the new
 * folder's name; throws InvalidProjectName naming the rule it breaks.
 * @example validateProjectName('mysite'); // ok
 * validateProjectName('My Site'); // throws: ... must be lowercase ...
 */
export function validateProjectName(name: string): void {
  const fail = (rule: string): never => {
    throw new InvalidProjectName(`Invalid project name '${name}': ${rule}`);
  };
  if (name.trim() === '') fail('the name is empty; give one, e.g. npx create-app mysite.');
  if (name.startsWith('@') || name.includes('/') || name.includes('\\')) {
    fail('it must be a single folder name, without a scope or a path; run create-app inside the parent folder.');
  }
  if (name.length > MAX_LENGTH) fail(`npm package names are at most ${MAX_LENGTH} characters; this one has ${name.length}.`);
  if (name !== name.toLowerCase()) fail(`npm package names must be lowercase; try '${name.toLowerCase()}'.`);
  if (name.startsWith('.') || name.startsWith('_')) fail("npm package names cannot start with '.' or '_'.");
  if (!ALLOWED.test(name)) {
    const bad = [...new Set([...name].filter((ch) => !/[a-z0-9._~-]/.test(ch)))].map((ch) => `'${ch}'`).join(', ');
    fail(`npm package names may only use lowercase letters, digits, '-', '.', '_' and '~' (found ${bad}).`);
  }
  if (RESERVED.has(name)) fail(`'${name}' is reserved; choose another name.`);
  if (builtinModules.includes(name)) fail(`'${name}' is a Node.js core module name, which npm refuses; choose another name.`);
  if (DEPENDENCY_NAMES.has(name)) fail(`the project depends on '${name}', and npm cannot install a package into a project of the same name.`);
}
