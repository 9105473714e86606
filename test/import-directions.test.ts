import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports point inward (docs: shared design): core imports no other package;
 * templates and orm import only core; forms adds orm and templates; auth adds
 * forms; admin may import all of these; cli imports only core; create-app none.
 */
const allowed: Record<string, readonly string[]> = {
  core: [],
  templates: ['core'],
  orm: ['core'],
  forms: ['core', 'orm', 'templates'],
  auth: ['core', 'orm', 'templates', 'forms'],
  admin: ['core', 'orm', 'templates', 'forms', 'auth'],
  cli: ['core'],
  'create-app': [],
};

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|js|mjs)$/.test(entry)) out.push(full);
  }
  return out;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](@atrium\/[a-z-]+)|import\(\s*['"](@atrium\/[a-z-]+)/g;

describe('package import directions', () => {
  const packages = readdirSync(packagesDir).filter((p) => statSync(join(packagesDir, p, 'src'), { throwIfNoEntry: false })?.isDirectory());

  it('knows every package', () => {
    expect(packages.length).toBeGreaterThanOrEqual(3);
    for (const pkg of packages) expect(allowed, `add '${pkg}' to the allowed map`).toHaveProperty(pkg);
  });

  for (const pkg of packages) {
    it(`${pkg} imports only ${allowed[pkg]?.join(', ') || 'no other package'}`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(packagesDir, pkg, 'src'))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(IMPORT)) {
          const target = (match[1] ?? match[2])!.slice('@atrium/'.length);
          if (target !== pkg && !allowed[pkg]!.includes(target)) violations.push(`${relative(root, file)} imports @atrium/${target}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('orm never imports the HTTP layer of core', () => {
    const dir = join(packagesDir, 'orm', 'src');
    const http = /\b(HttpRequest|HttpResponse|Router|serve|html|redirect)\b/;
    const violations: string[] = [];
    for (const file of statSync(dir, { throwIfNoEntry: false }) ? sourceFiles(dir) : []) {
      for (const match of readFileSync(file, 'utf8').matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]@atrium\/core['"]/g)) {
        if (http.test(match[1]!)) violations.push(`${relative(root, file)}: ${match[1]!.trim()}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
