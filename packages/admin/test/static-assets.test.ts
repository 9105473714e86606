import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { expect, it } from 'vitest';

const asset = (name: string) => readFileSync(new URL(`../static/admin/${name}`, import.meta.url), 'utf8');

// The browser test (test/e2e/admin-browser.test.ts) drives the script in chromium; this catches a broken merge without one.
it('ships a script that parses and loads nothing from elsewhere', () => {
  const source = asset('admin.js');
  expect(() => new Script(source, { filename: 'admin.js' })).not.toThrow();
  expect(source).not.toMatch(/https?:\/\//);
});

it('ships CSS with a dark theme and no external resources', () => {
  const css = asset('admin.css');
  expect(css).toMatch(/@media \(prefers-color-scheme: dark\)/);
  expect(css).not.toMatch(/url\(\s*['"]?https?:|@import/);
});
