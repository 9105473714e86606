// Drive HTTP load from the load-generator core: wrk when installed (a C
// program, cheaper per request than any node client, so the server stays the
// bottleneck), else autocannon in a child node process.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { LOAD_CPU, pinned } from './pinning.mjs';
import { parseWrkOutput } from './wrk-output.mjs';
import { parseAutocannonOutput } from './autocannon-output.mjs';

/** 'wrk' when it is on PATH, else 'autocannon'; `preferred` (BENCH_LOAD_GENERATOR) wins when given. */
export function detectLoadGenerator(preferred = null) {
  const hasWrk = spawnSync('wrk', ['--version']).error === undefined;
  if (preferred === 'wrk' && !hasWrk) {
    throw new Error("BENCH_LOAD_GENERATOR=wrk but wrk is not on PATH; install it (Debian: apt-get install -y wrk) or unset the variable");
  }
  return preferred ?? (hasWrk ? 'wrk' : 'autocannon');
}

/** The version line of the load generator, for the results. */
export function loadGeneratorVersion(tool) {
  if (tool === 'wrk') {
    const out = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
    // 'wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer': keep the name, version and event loop.
    return (out.stdout || out.stderr).split('\n')[0].replace(/\s+Copyright.*$/, '').trim();
  }
  const require = createRequire(import.meta.url);
  return `autocannon ${require('autocannon/package.json').version}`;
}

/**
 * Load `url` with `connections` keep-alive connections for `durationSec`
 * seconds from the load core, and return the parsed result. `script` is a
 * wrk Lua script that shapes the requests (wrk only).
 * @example const run = await runLoad({ tool: 'wrk', url: 'http://127.0.0.1:8000/json', durationSec: 3, connections: 64 });
 */
export async function runLoad({ tool, url, durationSec, connections, cpu = LOAD_CPU, script = null }) {
  if (tool === 'wrk') {
    // One thread: the generator owns exactly one core.
    const args = ['-t1', `-c${connections}`, `-d${durationSec}s`, '--latency', '--timeout', '5s', ...(script ? ['-s', script] : []), url];
    return parseWrkOutput(await runPinned(cpu, 'wrk', args));
  }
  if (script) {
    throw new Error(`Loading ${url} needs wrk: the case shapes its requests with the wrk script ${script}. Install wrk (Debian: apt-get install -y wrk) or leave BENCH_LOAD_GENERATOR unset.`);
  }
  const cli = createRequire(import.meta.url).resolve('autocannon');
  const args = [cli, '-c', String(connections), '-d', String(durationSec), '--json', '--no-progress', url];
  return parseAutocannonOutput(await runPinned(cpu, process.execPath, args));
}

function runPinned(cpu, tool, toolArgs) {
  const { command, args } = pinned(cpu, tool, toolArgs);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${[command, ...args].join(' ')} exited with code ${code}:\n${stderr}${stdout}`));
    });
  });
}
