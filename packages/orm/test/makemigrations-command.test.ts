import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandContext, ManagementCommand } from '@atrium/core';
import { createMakeMigrationsCommand } from '../src/commands/makemigrations.js';
import { NonInteractiveQuestioner } from '../src/migrations/questioner/non-interactive-questioner.js';
import { MigrationQuestionUnanswered } from '../src/migrations/errors.js';
import { modelState } from '../src/migrations/state/model-state.js';
import { f as mf } from '../src/migrations/state/spec-builders.js';

const src = (path: string) => pathToFileURL(resolve(import.meta.dirname, '../src', path)).href;
const root = mkdtempSync(join(tmpdir(), 'atrium-mm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const appPath = join(root, 'notes');
mkdirSync(appPath);
writeFileSync(
  join(appPath, 'models.ts'),
  [
    `import { model } from '${src('model/model.ts')}';`,
    `import { f } from '${src('fields/f.ts')}';`,
    `export const Note = model('notes.Note', { text: f.text(), done: f.boolean({ default: false }) });`,
    '',
  ].join('\n'),
);
const apps = [{ label: 'notes', path: appPath }];

interface Result {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], options: Record<string, unknown> = {}, command: ManagementCommand = createMakeMigrationsCommand({ importFrom: src('migrations/index.ts') })): Promise<Result> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const context = { project: { context: { apps: { all: () => apps } } }, cwd: root, stdout, stderr } as unknown as CommandContext;
  const code = (await command.run(context, args, options)) ?? 0;
  return { code, out, err };
}

const files = () => (existsSync(join(appPath, 'migrations')) ? readdirSync(join(appPath, 'migrations')).sort() : []);

describe('manage makemigrations', () => {
  it('--check exits 1 when models have changes, writing nothing', async () => {
    const result = await run([], { check: true });
    expect(result.code).toBe(1);
    expect(result.out).toContain("Migrations for 'notes':");
    expect(result.out).toContain('- Create model Note');
    expect(result.err).toContain('Models have changes without migrations');
    expect(files()).toEqual([]);
  });

  it('--dry-run -v prints the file and writes nothing', async () => {
    const result = await run([], { dryRun: true, verbose: true });
    expect(result.code).toBe(0);
    expect(result.out).toContain("ops.createModel({");
    expect(result.out).toContain("['done', f.boolean({ default: false })]");
    expect(files()).toEqual([]);
  });

  it('writes the initial migration, then finds no changes; --check then exits 0', async () => {
    const result = await run([]);
    expect(result.code).toBe(0);
    expect(result.out).toBe(`Migrations for 'notes':\n  notes/migrations/0001_initial.ts\n    - Create model Note\n`);
    expect(files()).toEqual(['0001_initial.ts']);
    expect(await run([])).toEqual({ code: 0, out: 'No changes detected\n', err: '' });
    expect(await run(['notes'], { check: true })).toEqual({ code: 0, out: "No changes detected in app 'notes'\n", err: '' });
    expect((await run([], { quiet: true })).out).toBe('');
  });

  it('--empty --name writes an empty migration for a data migration', async () => {
    const result = await run(['notes'], { empty: true, name: 'fill_notes' });
    expect(result.code).toBe(0);
    expect(files()).toEqual(['0001_initial.ts', '0002_fill_notes.ts']);
    const source = readFileSync(join(appPath, 'migrations', '0002_fill_notes.ts'), 'utf8');
    expect(source).toContain("dependencies: [['notes', '0001_initial']],");
    expect(source).toContain('    // ops.runCode({ forward: async (models, db) =>');
    expect(source).toContain("import { migration, ops } from");
    expect((await run([], { empty: true })).code).toBe(2); // --empty needs an app
  });

  it('refuses an unknown app and a bad name with exit code 2', async () => {
    const unknown = await run(['note']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("App 'note' is not installed; did you mean 'notes'?");
    const badName = await run(['notes'], { empty: true, name: 'bad name' });
    expect(badName.code).toBe(2);
    expect(badName.err).toContain("--name 'bad name' must be letters, digits and underscores");
  });

  it('reports conflicting branches, and --merge joins them', async () => {
    writeFileSync(
      join(appPath, 'migrations', '0002_other.ts'),
      `import { migration } from '${src('migrations/index.ts')}';\nexport default migration({ dependencies: [['notes', '0001_initial']], operations: [] });\n`,
    );
    const conflict = await run([]);
    expect(conflict.code).toBe(1);
    expect(conflict.err).toContain('Conflicting migrations detected');
    expect(conflict.err).toContain('makemigrations --merge');
    const merged = await run([], { merge: true, noinput: true });
    expect(merged.code).toBe(0);
    expect(merged.out).toContain('Merging notes');
    expect(merged.out).toContain('Created new merge migration notes/migrations/0003_merge_0002_fill_notes_0002_other.ts');
    expect(files()).toEqual(['0001_initial.ts', '0002_fill_notes.ts', '0002_other.ts', '0003_merge_0002_fill_notes_0002_other.ts']);
    expect(await run([], { check: true })).toEqual({ code: 0, out: 'No changes detected\n', err: '' });
    expect((await run([], { merge: true })).out).toBe('No conflicts detected to merge.\n');
  });
});

describe('--default values for the non-interactive questioner', () => {
  const post = modelState({ appLabel: 'blog', name: 'Post', fields: [['id', mf.auto()]] });
  it('are read against the field when the question comes', async () => {
    const questioner = new NonInteractiveQuestioner({ typedDefaults: { 'blog.Post.rank': '7', 'blog.Post.slug': 'plain-word', 'blog.Post.at': '"2026-01-02T00:00:00Z"' } });
    expect(await questioner.askNotNullAddition(post, 'rank', mf.integer())).toBe(7);
    expect(await questioner.askNotNullAddition(post, 'slug', mf.slug())).toBe('plain-word');
    expect(await questioner.askNotNullAddition(post, 'at', mf.datetime())).toEqual(new Date('2026-01-02T00:00:00Z'));
  });
  it('refuse a value the field would not accept', async () => {
    const questioner = new NonInteractiveQuestioner({ typedDefaults: { 'blog.Post.rank': '"seven"' } });
    await expect(questioner.askNotNullAddition(post, 'rank', mf.integer())).rejects.toThrow(MigrationQuestionUnanswered);
    await expect(questioner.askNotNullAddition(post, 'rank', mf.integer())).rejects.toThrow(/Expected an integer/);
  });
  it('a unique field with a default function is not filled with one value for every row', async () => {
    const questioner = new NonInteractiveQuestioner();
    await expect(questioner.askFunctionDefault(post, 'token', mf.uuid({ unique: true }), 'x')).rejects.toThrow(/fill it with ops.runCode/);
    expect(await questioner.askFunctionDefault(post, 'token', mf.uuid(), 'x')).toBe('x');
  });
});
