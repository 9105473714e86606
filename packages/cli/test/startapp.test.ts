import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderAppTemplate } from '../src/startapp/render-app-template.js';
import { appTemplateContext, fillPlaceholders } from '../src/startapp/app-template.js';
import { InvalidAppName } from '../src/errors.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../../..');
const manage = join(repo, 'packages/cli/bin/manage.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atrium-startapp-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function allFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function refusal(name: string, directory?: string): Promise<InvalidAppName> {
  try {
    await renderAppTemplate({ name, cwd: dir, ...(directory ? { directory } : {}) });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAppName);
    return error as InvalidAppName;
  }
  throw new Error(`startapp accepted '${name}'`);
}

describe('placeholders', () => {
  it('derives PascalCase and camelCase names', () => {
    expect(appTemplateContext('blog_posts')).toEqual({ app_name: 'blog_posts', AppName: 'BlogPosts', appName: 'blogPosts' });
  });

  it('replaces only its own placeholders, leaving Nunjucks expressions alone', () => {
    const out = fillPlaceholders("{{ title }} {{app_name}} {{ AppName }} {{ url('{{ app_name }}:index') }}", appTemplateContext('blog'));
    expect(out).toBe("{{ title }} blog Blog {{ url('blog:index') }}");
  });
});

describe('renderAppTemplate', () => {
  it('creates the app folder with every template file, placeholders filled', async () => {
    const { appDir, files } = await renderAppTemplate({ name: 'blog', cwd: dir });
    expect(appDir).toBe(join(dir, 'blog'));
    expect(files).toEqual(['app.ts', 'static/blog/.gitkeep', 'templates/blog/index.html', 'test/views.test.ts', 'urls.ts', 'views.ts']);
    for (const file of files) expect(existsSync(join(appDir, file))).toBe(true);
    for (const file of allFiles(appDir)) {
      const content = readFileSync(file, 'utf8');
      expect(content, file).not.toMatch(/\{\{\s*(app_name|AppName|appName)\s*\}\}/);
    }
    expect(readFileSync(join(appDir, 'app.ts'), 'utf8')).toContain("defineApp({ label: 'blog', path: import.meta.dirname })");
    expect(readFileSync(join(appDir, 'views.ts'), 'utf8')).toContain("render(request, 'blog/index.html', { title: 'Blog' })");
    expect(readFileSync(join(appDir, 'urls.ts'), 'utf8')).toContain("include('blog/', blogRoutes, { namespace: 'blog' })");
    const html = readFileSync(join(appDir, 'templates/blog/index.html'), 'utf8');
    expect(html).toContain("{{ url('blog:index') }}");
    expect(html).toContain('<h1>{{ title }}</h1>');
  });

  it('creates the app inside the given directory, making it if needed', async () => {
    const { appDir } = await renderAppTemplate({ name: 'shop_cart', directory: 'apps', cwd: dir });
    expect(appDir).toBe(join(dir, 'apps', 'shop_cart'));
    expect(readFileSync(join(appDir, 'test/views.test.ts'), 'utf8')).toContain("include('shop_cart/', routes, { namespace: 'shop_cart' })");
  });

  it.each([
    ['My-Blog', "'My-Blog' is not a valid app name: use lower-case letters, digits and underscores, starting with a letter (it becomes the app label); try 'my_blog'."],
    ['2fast', "'2fast' is not a valid app name"],
    ['', 'The app name is empty'],
    ['test', "'test' is reserved"],
    ['node_modules', "'node_modules' is reserved"],
    ['class', "'class' is a JavaScript reserved word"],
  ])('refuses %j with a clear message and writes nothing', async (name, message) => {
    const error = await refusal(name);
    expect(error.code).toBe('E_INVALID_APP_NAME');
    expect(error.message).toContain(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a name that clashes with an existing folder, leaving it untouched', async () => {
    mkdirSync(join(dir, 'blog'));
    writeFileSync(join(dir, 'blog', 'notes.txt'), 'mine');
    const error = await refusal('blog');
    expect(error.message).toBe(`'blog' clashes with an existing file or folder (${join(dir, 'blog')}); choose another name or remove it.`);
    expect(readdirSync(join(dir, 'blog'))).toEqual(['notes.txt']);
  });
});

describe('manage startapp', () => {
  it('renders the app and prints what to add to INSTALLED_APPS and urls.ts', async () => {
    writeFileSync(join(dir, 'settings.ts'), 'export default {};\n');
    mkdirSync(join(dir, 'apps'));
    const { stdout } = await run(process.execPath, [manage, 'startapp', 'blog', 'apps'], { cwd: dir });
    expect(stdout).toContain(`Created app 'blog' in ./apps/blog:`);
    expect(stdout).toContain("Add 'apps/blog' to INSTALLED_APPS in ./settings.ts:");
    expect(stdout).toContain("import blogRoutes from './apps/blog/urls.js';");
    expect(stdout).toContain("include('blog/', blogRoutes, { namespace: 'blog' }),");
    expect(existsSync(join(dir, 'apps/blog/app.ts'))).toBe(true);
  });

  it('works outside a project and exits 1 with the refusal message', async () => {
    const failure = await run(process.execPath, [manage, 'startapp', 'Bad-Name'], { cwd: dir }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toBe(
      "Error: 'Bad-Name' is not a valid app name: use lower-case letters, digits and underscores, starting with a letter (it becomes the app label); try 'bad_name'.\n",
    );
  });

  it("generates an app whose own example test passes", async () => {
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    await run(process.execPath, [manage, 'startapp', 'notes'], { cwd: dir });
    const vitest = join(repo, 'node_modules/vitest/vitest.mjs');
    const { stdout } = await run(process.execPath, [vitest, 'run', '--root', dir, '--reporter', 'verbose'], { cwd: dir, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } });
    expect(stdout).toContain('renders the index page');
    expect(stdout).toMatch(/Tests\s+2 passed/);
  });
});
