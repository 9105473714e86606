import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabases, configureDatabases } from '@atrium/orm';
import { Permission } from '../src/index.js';

/** `manage migrate` applies auth's migration, then auth's post-migrate hook creates every model's permissions. */
describe('manage migrate with auth installed', () => {
  const repo = resolve(import.meta.dirname, '../../..');
  const project = join(import.meta.dirname, `.tmp-migrate-project-${process.pid}`);
  const manage = join(repo, 'packages/cli/bin/manage.js');
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const child = execFile(process.execPath, [manage, ...args], { cwd: project, timeout: 60_000 }, (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end();
    });

  beforeAll(() => {
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'settings.ts'),
      `import { defineSettings } from '@atrium/core';
export default defineSettings({
  SECRET_KEY: 'post-migrate-test-secret-key-0123456789-abcdef',
  ALLOWED_HOSTS: ['localhost'],
  INSTALLED_APPS: ['@atrium/orm', '@atrium/auth'],
  DATABASES: { default: { ENGINE: 'sqlite', NAME: 'db.sqlite3', OPTIONS: {} } },
});
`,
    );
    writeFileSync(join(project, 'urls.ts'), 'export default [];\n');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('creates view/add/change/delete permissions for the installed models, once', async () => {
    const first = await run(['migrate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Applying auth\.0001_initial\.\.\. OK/);
    expect(first.stdout).toMatch(/auth: post-migrate created \d+ object\(s\)/);

    configureDatabases({ post_migrate_check: { ENGINE: 'sqlite', NAME: join(project, 'db.sqlite3'), OPTIONS: {} } }, project, { replace: true });
    try {
      const codenames = await Permission.objects.using('post_migrate_check').filter({ appLabel: 'auth' }).valuesList('codename', { flat: true });
      for (const codename of ['view_user', 'add_user', 'change_user', 'delete_user', 'view_group', 'change_permission']) expect(codenames).toContain(codename);
      const count = codenames.length;
      const second = await run(['migrate']);
      expect(second.code).toBe(0);
      expect(second.stdout).not.toMatch(/post-migrate created/);
      expect(await Permission.objects.using('post_migrate_check').filter({ appLabel: 'auth' }).count()).toBe(count);
    } finally {
      await closeDatabases(['post_migrate_check']);
    }
  });
});
