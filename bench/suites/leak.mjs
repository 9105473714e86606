// Memory: the TechEmpower Atrium app's resident set after 20,000 and after
// 200,000 requests (a leak makes the second grow; target: within 10%), and
// the resident set of one idle starter-project worker (target: < 100 MB).
// Not a unit test: it takes about a minute of load.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CPU, pinned } from '../lib/pinning.mjs';
import { parseWrkOutput } from '../lib/wrk-output.mjs';
import { fetchOnce, freePort, startServer } from '../lib/spawn-server.mjs';
import { createFixture, parseDatabase } from '../lib/techempower-fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const FIRST = 20_000;
const SECOND = 200_000;
const IDLE_LIMIT_MB = 100;

/** Resident set size of a process in MB, from /proc/PID/status (VmRSS). */
async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`No VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** The pid of a process's one child (the reloader's server), from /proc/PID/task/PID/children. */
async function onlyChild(pid) {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean);
  if (children.length !== 1) throw new Error(`Expected one child of manage runserver (pid ${pid}), found ${children.length}`);
  return Number(children[0]);
}

function wrkRun(url, seconds) {
  const { command, args } = pinned(LOAD_CPU, 'wrk', ['-t1', '-c32', `-d${seconds}s`, '--latency', '-s', join(here, '..', 'lib', 'rotate-paths.lua'), url]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(parseWrkOutput(out)) : reject(new Error(`wrk exited with ${code}:\n${out}`))));
  });
}

async function leakCase({ log }) {
  const env = { TE_DATABASE: `sqlite:${join(tmpdir(), `atrium-leak-${process.pid}.db`)}` };
  const target = parseDatabase(env);
  await createFixture(target);
  const server = await startServer({ name: 'atrium', script: join(here, '..', 'apps', 'techempower-atrium', 'server.mjs'), env, readyPath: '/plaintext' });
  try {
    let served = 0;
    let errors = 0;
    const samples = {};
    for (const mark of [FIRST, SECOND]) {
      while (served < mark) {
        const run = await wrkRun(server.url, 2);
        if (run.non2xx > 0) throw new Error(`${run.non2xx} non-2xx responses under load:\n${server.output}`);
        served += run.requests;
        errors += run.errors;
      }
      samples[mark] = { requests: served, rssMb: await rssMb(server.pid) };
      log(`  leak-rss: ${served} requests (every TechEmpower endpoint in turn), RSS ${samples[mark].rssMb.toFixed(1)} MB`);
    }
    const ratio = samples[SECOND].rssMb / samples[FIRST].rssMb;
    return {
      name: 'leak-rss',
      ratio,
      target: 1.1,
      direction: 'lower',
      subject: `${samples[SECOND].rssMb.toFixed(1)} MB after ${samples[SECOND].requests}`,
      baseline: `${samples[FIRST].rssMb.toFixed(1)} MB after ${samples[FIRST].requests}`,
      spread: 0,
      pairs: [],
      samples,
      socketErrors: errors,
    };
  } finally {
    await server.stop();
    await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${target.file}${suffix}`, { force: true })));
  }
}

async function idleStarterCase({ log }) {
  const port = await freePort();
  // `manage runserver` as `npm start` runs it: the reloader, whose child is the worker measured below.
  const child = spawn(process.execPath, [join(root, 'node_modules', '@atrium', 'cli', 'bin', 'manage.js'), 'runserver', `127.0.0.1:${port}`], {
    cwd: join(root, 'starter'),
    env: { ...process.env, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetchOnce(`${url}/`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the starter did not serve ${url}/:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Every page once (templates compiled, modules loaded), then idle.
    for (const path of ['/', '/hello/ann/', '/about/', '/api/status/', '/static/pages/site.css']) await fetchOnce(`${url}${path}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const worker = await onlyChild(child.pid);
    const rss = await rssMb(worker);
    log(`  idle-rss-starter: one idle starter worker (the child of manage runserver, every page served once): RSS ${rss.toFixed(1)} MB (reloader ${(await rssMb(child.pid)).toFixed(1)} MB)`);
    return {
      name: 'idle-rss-starter',
      ratio: rss / IDLE_LIMIT_MB,
      target: 1,
      direction: 'lower',
      subject: `${rss.toFixed(1)} MB`,
      baseline: `${IDLE_LIMIT_MB} MB limit`,
      spread: 0,
      pairs: [],
      rssMb: rss,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

export default {
  name: 'leak',
  description: 'memory: RSS after 200,000 vs 20,000 requests (<= 1.10); idle starter worker RSS over 100 MB (<= 1.00)',
  cases: ['leak-rss', 'idle-rss-starter'],
  async run({ cases, log }) {
    const results = [];
    if (cases.includes('leak-rss')) results.push(await leakCase({ log }));
    if (cases.includes('idle-rss-starter')) results.push(await idleStarterCase({ log }));
    return results;
  },
};
