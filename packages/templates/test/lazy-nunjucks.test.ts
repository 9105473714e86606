import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// A child process, because this test process has loaded nunjucks long ago.
// It runs the built packages (dist), as a project does.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

let templatesDir: string;
beforeEach(() => {
  templatesDir = mkdtempSync(join(tmpdir(), 'atrium-lazy-nunjucks-'));
  writeFileSync(join(templatesDir, 'hello.html'), 'Hello {{ name }}');
});
afterEach(() => rmSync(templatesDir, { recursive: true, force: true }));

function runScript(body: string): Promise<string> {
  const script = `
    import { createRequire } from 'node:module';
    import { createApplication } from '@atrium/core';
    const require = createRequire(import.meta.url);
    const nunjucksLoaded = () => Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]nunjucks[\\\\/]/.test(file));
    const settings = (templates) => ({ SECRET_KEY: 'k'.repeat(50), DEBUG: false, ALLOWED_HOSTS: ['*'], TEMPLATES: templates });
    const dirs = ${JSON.stringify([templatesDir])};
    ${body}`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: packageDir, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe('loading nunjucks', () => {
  it('waits for the first template lookup or render, then behaves as before', async () => {
    const out = await runScript(`
      const app = await createApplication({ settings: settings({ DIRS: dirs }), routes: [], root: process.cwd() });
      const templates = app.context.templates;
      console.log(JSON.stringify({
        afterStartUp: nunjucksLoaded(),
        hasBackend: templates !== null,
        rendered: await templates.render('hello.html', { name: '<b>' }),
        afterRender: nunjucksLoaded(),
        exists: [templates.exists('hello.html'), templates.exists('missing.html')],
        fromString: await templates.renderString('{{ 1 + 1 }}', {}),
      }));`);
    expect(JSON.parse(out)).toEqual({
      afterStartUp: false,
      hasBackend: true,
      rendered: 'Hello &lt;b&gt;',
      afterRender: true,
      exists: [true, false],
      fromString: '2',
    });
  });

  it('lets exists() answer synchronously as the first call', async () => {
    const out = await runScript(`
      const app = await createApplication({ settings: settings({ DIRS: dirs }), routes: [], root: process.cwd() });
      const before = nunjucksLoaded();
      console.log(JSON.stringify([before, app.context.templates.exists('hello.html'), app.context.templates.exists('nope.html')]));`);
    expect(JSON.parse(out)).toEqual([false, true, false]);
  });

  it('still refuses bad TEMPLATES settings at start-up, without loading nunjucks', async () => {
    const out = await runScript(`
      const errors = [];
      for (const templates of [{ OPTIONS: { autoescape: false } }, { OPTIONS: { contextProcessors: ['no_such_processor'] } }]) {
        try {
          await createApplication({ settings: settings(templates), routes: [], root: process.cwd() });
          errors.push('started');
        } catch (error) {
          errors.push(error.name + ': ' + error.message);
        }
      }
      console.log(JSON.stringify({ errors, loaded: nunjucksLoaded() }));`);
    const { errors, loaded } = JSON.parse(out) as { errors: string[]; loaded: boolean };
    expect(errors[0]).toMatch(/^ImproperlyConfigured: TEMPLATES\.OPTIONS\.autoescape is false; Atrium always autoescapes/);
    expect(errors[1]).toMatch(/^ImproperlyConfigured: .*no_such_processor/);
    expect(loaded).toBe(false);
  });
});
