import { describe, expect, it } from 'vitest';
import { InvalidProjectName } from '../src/errors.js';
import { validateProjectName } from '../src/validate-project-name.js';

function messageFor(name: string): string {
  try {
    validateProjectName(name);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidProjectName);
    expect((error as InvalidProjectName).code).toBe('E_INVALID_PROJECT_NAME');
    return (error as Error).message;
  }
  throw new Error(`'${name}' was accepted`);
}

describe('validateProjectName', () => {
  it('accepts npm names that are also folder names', () => {
    for (const name of ['mysite', 'my-site', 'site.v2', 'a_b', 'x~y', '2048']) expect(() => validateProjectName(name)).not.toThrow();
  });

  it('names the rule a bad name breaks', () => {
    expect(messageFor('')).toBe("Invalid project name '': the name is empty; give one, e.g. npx create-app mysite.");
    expect(messageFor('MySite')).toBe("Invalid project name 'MySite': npm package names must be lowercase; try 'mysite'.");
    expect(messageFor('my site!')).toBe(
      "Invalid project name 'my site!': npm package names may only use lowercase letters, digits, '-', '.', '_' and '~' (found ' ', '!').",
    );
    expect(messageFor('.hidden')).toBe("Invalid project name '.hidden': npm package names cannot start with '.' or '_'.");
    expect(messageFor('_private')).toBe("Invalid project name '_private': npm package names cannot start with '.' or '_'.");
    expect(messageFor('@me/site')).toBe(
      "Invalid project name '@me/site': it must be a single folder name, without a scope or a path; run create-app inside the parent folder.",
    );
    expect(messageFor('../site')).toBe(
      "Invalid project name '../site': it must be a single folder name, without a scope or a path; run create-app inside the parent folder.",
    );
    expect(messageFor('a'.repeat(215))).toBe(`Invalid project name '${'a'.repeat(215)}': npm package names are at most 214 characters; this one has 215.`);
    expect(messageFor('node_modules')).toBe("Invalid project name 'node_modules': 'node_modules' is reserved; choose another name.");
    expect(messageFor('http')).toBe("Invalid project name 'http': 'http' is a Node.js core module name, which npm refuses; choose another name.");
    expect(messageFor('vitest')).toBe(
      "Invalid project name 'vitest': the project depends on 'vitest', and npm cannot install a package into a project of the same name.",
    );
  });
});
