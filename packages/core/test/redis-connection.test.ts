import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedisConnection } from '../src/redis/index.js';
import { freePort } from './cache/servers.js';

const built = pathToFileURL(join(import.meta.dirname, '../dist/redis/index.js')).href;

/** Run `body` (ESM, with RedisConnection and a `loaded()` that says whether ioredis was required) in a fresh process; its stdout. */
function inFreshProcess(body: string): string {
  const script = [
    "import { createRequire } from 'node:module';",
    `const { RedisConnection } = await import(${JSON.stringify(built)});`,
    "const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => /[\\\\/]ioredis[\\\\/]/.test(file));",
    body,
  ].join('\n');
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
}

describe('RedisConnection loads ioredis on first use (issue #10)', { timeout: 60_000 }, () => {
  it('is made, and closed unused, without loading ioredis; the first ready() loads it', async () => {
    const port = await freePort();
    const out = inFreshProcess(
      [
        `const unused = new RedisConnection({ url: 'redis://127.0.0.1:${port}/0', timeout: 200 });`,
        'await unused.close();',
        `const used = new RedisConnection({ url: 'redis://127.0.0.1:${port}/0', timeout: 200 });`,
        'console.log(`made and closed: ${loaded()}`);',
        "const error = await used.ready().then(() => 'connected', (e) => e.message);",
        'console.log(`after ready(): ${loaded()}, ${/127\\.0\\.0\\.1/.test(error)}`);',
        'await used.close();',
      ].join('\n'),
    );
    expect(out).toBe('made and closed: false\nafter ready(): true, true\n');
  });

  it('stays closed when closed before first use: ready() fails at once and the client is ended', async () => {
    const connection = new RedisConnection({ url: `redis://127.0.0.1:${await freePort()}/0`, timeout: 5_000 });
    await connection.close();
    const started = Date.now();
    await expect(connection.ready()).rejects.toThrow(/Redis connection to redis:\/\/127\.0\.0\.1:\d+\/0 is closed/);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(connection.client.status).toBe('end');
  });
});
