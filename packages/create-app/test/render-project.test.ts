import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseDatabase } from '../src/database-choice.js';
import { TargetNotEmpty, TemplateMissing } from '../src/errors.js';
import { defaultMonorepoRoot } from '../src/project-template.js';
import { renderProject, type RenderProjectOptions } from '../src/render-project.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'atrium-create-app-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function options(overrides: Partial<RenderProjectOptions> = {}): RenderProjectOptions {
  return { name: 'mysite', cwd, database: chooseDatabase({ projectName: 'mysite' }), source: 'local', version: '0.1.0', ...overrides };
}

const read = (...parts: string[]): string => readFileSync(join(cwd, ...parts), 'utf8');
const secretOf = (settings: string): string => /\(DEBUG \? '([^']*)' : ''\)/.exec(settings)?.[1] ?? '';

describe('renderProject', () => {
  it('writes the whole project, with .gitignore and .env', async () => {
    const { projectDir, files } = await renderProject(options());
    expect(projectDir).toBe(join(cwd, 'mysite'));
    expect(files).toEqual([
      '.env',
      '.env.example',
      '.gitignore',
      'README.md',
      'database-url.ts',
      'notes/admin.ts',
      'notes/app.ts',
      'notes/fixtures/welcome.json',
      'notes/migrations/0001_initial.ts',
      'notes/models.ts',
      'notes/templates/notes/note_detail.html',
      'notes/templates/notes/note_list.html',
      'notes/test/admin.test.ts',
      'notes/test/views.test.ts',
      'notes/urls.ts',
      'notes/views.ts',
      'package.json',
      'settings.ts',
      'static/site.css',
      'templates/base.html',
      'test/database-url.test.ts',
      'test/test-client.ts',
      'tsconfig.json',
      'urls.ts',
    ]);
    expect(read('mysite', '.gitignore')).toContain('.env\n');
    expect(read('mysite', '.env')).toContain('DATABASE_URL=sqlite:db.sqlite3\n');
  });

  it('fills every placeholder and leaves Nunjucks expressions alone', async () => {
    const { files } = await renderProject(options());
    for (const file of files) expect(read('mysite', file), file).not.toMatch(/\{\{\s*(project_name|secret_key|database_url_\w+)\s*\}\}/);
    expect(read('mysite', 'README.md')).toContain('# mysite\n');
    expect(read('mysite', 'templates', 'base.html')).toContain('<title>{% block title %}mysite{% endblock %}</title>');
    expect(read('mysite', 'notes', 'templates', 'notes', 'note_detail.html')).toContain('{{ note.title }}');
    expect(read('mysite', 'settings.ts')).toContain("process.env['DATABASE_URL'] ?? 'sqlite:db.sqlite3'");
  });

  it('writes a package.json with the scripts and local file: links to the Atrium packages', async () => {
    await renderProject(options());
    const manifest = JSON.parse(read('mysite', 'package.json')) as Record<string, Record<string, string> & { type?: string }>;
    expect(manifest['name']).toBe('mysite');
    expect(manifest['type']).toBe('module');
    expect(manifest['scripts']).toMatchObject({ dev: 'manage runserver', test: 'vitest run', manage: 'manage' });
    expect(manifest['scripts']?.['start']).toContain('manage runserver');
    const packages = join(defaultMonorepoRoot(), 'packages');
    expect(manifest['dependencies']).toEqual({
      '@atrium/admin': `file:${join(packages, 'admin')}`,
      '@atrium/auth': `file:${join(packages, 'auth')}`,
      '@atrium/cli': `file:${join(packages, 'cli')}`,
      '@atrium/core': `file:${join(packages, 'core')}`,
      '@atrium/forms': `file:${join(packages, 'forms')}`,
      '@atrium/orm': `file:${join(packages, 'orm')}`,
      '@atrium/templates': `file:${join(packages, 'templates')}`,
    });
    expect(Object.keys(manifest['devDependencies'] ?? {}).sort()).toEqual(['@types/node', 'tsx', 'typescript', 'vitest']);
  });

  it('uses registry versions with source registry', async () => {
    await renderProject(options({ source: 'registry', version: '1.2.3' }));
    const manifest = JSON.parse(read('mysite', 'package.json')) as { dependencies: Record<string, string> };
    expect(Object.values(manifest.dependencies)).toEqual(['^1.2.3', '^1.2.3', '^1.2.3', '^1.2.3', '^1.2.3', '^1.2.3', '^1.2.3']);
  });

  it('generates a long random SECRET_KEY for each project', async () => {
    await renderProject(options({ name: 'one' }));
    await renderProject(options({ name: 'two' }));
    const one = secretOf(read('one', 'settings.ts'));
    const two = secretOf(read('two', 'settings.ts'));
    expect(one).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(two).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(one).not.toBe(two);
    expect(new Set(one).size).toBeGreaterThan(20);
  });

  it('keeps a database password in .env only', async () => {
    const database = chooseDatabase({ projectName: 'mysite', databaseUrl: 'postgres://ann:s3cret@db.internal:5432/site' });
    await renderProject(options({ database }));
    expect(read('mysite', '.env')).toContain('DATABASE_URL=postgres://ann:s3cret@db.internal:5432/site\n');
    expect(read('mysite', 'settings.ts')).toContain("process.env['DATABASE_URL'] ?? 'postgres://ann@db.internal:5432/site'");
    expect(read('mysite', '.env.example')).toContain('DATABASE_URL=postgres://ann@db.internal:5432/site\n');
    expect(read('mysite', 'settings.ts')).not.toContain('s3cret');
  });

  it('renders into an existing empty folder', async () => {
    mkdirSync(join(cwd, 'mysite'));
    await renderProject(options());
    expect(existsSync(join(cwd, 'mysite', 'settings.ts'))).toBe(true);
  });

  it('refuses a non-empty folder and a file, touching neither', async () => {
    mkdirSync(join(cwd, 'mysite'));
    writeFileSync(join(cwd, 'mysite', 'notes.txt'), 'mine');
    const refusal = renderProject(options());
    await expect(refusal).rejects.toThrow(TargetNotEmpty);
    await expect(refusal).rejects.toThrow(
      `Folder ${join(cwd, 'mysite')} already exists and is not empty; choose another name, or empty or remove the folder.`,
    );
    expect(readdirSync(join(cwd, 'mysite'))).toEqual(['notes.txt']);

    writeFileSync(join(cwd, 'afile'), 'x');
    await expect(renderProject(options({ name: 'afile' }))).rejects.toThrow(
      `${join(cwd, 'afile')} already exists and is not a folder; choose another name or move the file away.`,
    );
  });

  it('refuses a missing template folder and a missing local checkout', async () => {
    await expect(renderProject(options({ templateDir: join(cwd, 'nope') }))).rejects.toThrow(TemplateMissing);
    await expect(renderProject(options({ monorepoRoot: join(cwd, 'no-checkout') }))).rejects.toThrow(
      `--atrium-source local needs the Atrium checkout, but ${join(cwd, 'no-checkout', 'packages', 'admin')} has no package.json; use --atrium-source registry.`,
    );
    // Nothing is left behind when rendering fails.
    expect(existsSync(join(cwd, 'mysite'))).toBe(false);
  });
});
