import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstallFailed } from '../src/errors.js';
import { installDependencies } from '../src/install-dependencies.js';

let projectDir: string;
beforeEach(() => {
  projectDir = mkdtempSync(join(tmpdir(), 'atrium-create-app-install-'));
});
afterEach(() => {
  rmSync(projectDir, { recursive: true, force: true });
});

describe('installDependencies', () => {
  it('reports a failed npm install with the folder and how to retry', async () => {
    // npm stops on an unreadable package.json before touching the network.
    writeFileSync(join(projectDir, 'package.json'), '{ not json');
    const install = installDependencies({ projectDir, packageManager: 'npm', extraArgs: ['--offline'], stdio: 'ignore' });
    await expect(install).rejects.toThrow(InstallFailed);
    await expect(install).rejects.toThrow(`npm install --offline failed in ${projectDir} (exit code 1); fix the cause above, then run it there again.`);
    await expect(install).rejects.toMatchObject({ code: 'E_INSTALL_FAILED', exitCode: 1 });
  });

  it('installs a project without dependencies', async () => {
    writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'empty-project', version: '0.0.0', private: true }));
    await expect(installDependencies({ projectDir, packageManager: 'npm', extraArgs: ['--offline', '--no-audit', '--no-fund'], stdio: 'ignore' })).resolves.toBeUndefined();
  });
});
