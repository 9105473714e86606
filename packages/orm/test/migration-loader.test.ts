import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrationLoader, migrationFiles } from '../src/migrations/loader.js';
import { InvalidMigration } from '../src/migrations/errors.js';
import { MigrationNodeNotFound } from '../src/migrations/migrate-errors.js';
import { tempProject } from './support/migration-files.js';

const project = tempProject('atrium-loader-');
afterAll(() => project.cleanup());

describe('migration loader', () => {
  it("imports every app's migration files, bound to app and file name, into one graph", async () => {
    const auth = project.app('ldauth');
    const blog = project.app('ldblog');
    auth.write('0001_initial', `{ operations: [ops.createModel({ name: 'User', fields: [['id', f.auto()]] })] }`);
    blog.write('0001_initial', `{ dependencies: [['ldauth', '0001_initial']], operations: [ops.createModel({ name: 'Post', fields: [['id', f.auto()], ['by', f.foreignKey('ldauth.User', { onDelete: 'CASCADE' })]] })] }`);
    blog.write('0002_post_title', `{ dependencies: [['ldblog', '0001_initial']], operations: [ops.addField({ model: 'Post', name: 'title', field: f.string({ maxLength: 10, null: true }) })] }`);
    // Not migrations: helpers, an index, declarations, other files (migration names start with a number).
    for (const name of ['_helpers.ts', 'index.ts', 'slugify.ts', '0003_x.d.ts', 'README.md', 'notes.txt']) writeFileSync(join(blog.path, 'migrations', name), 'export const x = 1;\n');

    const loader = await MigrationLoader.load([auth, blog]);
    expect(loader.graph.keys()).toEqual(['ldauth.0001_initial', 'ldblog.0001_initial', 'ldblog.0002_post_title']);
    const migration = loader.graph.migration('ldblog.0002_post_title');
    expect([migration.appLabel, migration.name]).toEqual(['ldblog', '0002_post_title']);
    expect(migration.operations[0]!.appLabel).toBe('ldblog');
    expect(loader.file('ldblog.0001_initial')).toBe(join(blog.path, 'migrations', '0001_initial.ts'));
    expect(loader.hasMigrations('ldauth')).toBe(true);
    expect(loader.graph.forwardsPlan('ldblog.0002_post_title')).toEqual(['ldauth.0001_initial', 'ldblog.0001_initial', 'ldblog.0002_post_title']);
  });

  it('takes a migration present as .ts and .js once, TypeScript first; an app without a folder has none', async () => {
    const app = project.app('lddup');
    app.write('0001_initial', '{ operations: [] }');
    writeFileSync(join(app.path, 'migrations', '0001_initial.js'), 'export default null;\n');
    expect((await migrationFiles(app)).map(([name, file]) => [name, file.endsWith('.ts')])).toEqual([['0001_initial', true]]);
    expect(await migrationFiles({ label: 'none', path: join(project.root, 'does-not-exist') })).toEqual([]);
  });

  it('names a file that does not export a migration, and one that does not load', async () => {
    const bad = project.app('ldbad');
    writeFileSync(join(bad.path, 'migrations', '0001_initial.ts'), 'export default { operations: "nope" };\n');
    await expect(MigrationLoader.load([bad])).rejects.toThrow(InvalidMigration);
    await expect(MigrationLoader.load([bad])).rejects.toThrow(/0001_initial\.ts must default-export a migration: export default migration\(/);

    const broken = project.app('ldbroken');
    writeFileSync(join(broken.path, 'migrations', '0001_initial.ts'), "import { nothing } from './missing-module.ts';\nexport default nothing;\n");
    await expect(MigrationLoader.load([broken])).rejects.toThrow(/Could not load migration ldbroken\.0001_initial \(.*0001_initial\.ts\)/);
  });

  it('refuses a dependency on a migration no installed app has', async () => {
    const app = project.app('ldorphan');
    app.write('0001_initial', `{ dependencies: [['shop', '0001_initial']], operations: [] }`);
    await expect(MigrationLoader.load([app])).rejects.toThrow(MigrationNodeNotFound);
    await expect(MigrationLoader.load([app])).rejects.toThrow(/ldorphan\.0001_initial depends on shop\.0001_initial, which does not exist\. App 'shop' has no migrations: is it in INSTALLED_APPS/);
  });
});
