// The newcomer's time budgets (issue 8), measured with the real binaries:
// `create-app` with its dependencies already in the npm cache (offline
// install) within 60 s; `manage runserver --noreload` of the generated project
// answering its first request within 1.5 s of being started; `manage --help`
// in the project within 300 ms. The ratio is the median time over the budget
// (there is no other framework run to compare with; <= 1 meets the budget).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBudget } from '../lib/time-budget.mjs';

const BUDGETS = { 'create-app': 60, 'runserver-ready': 1.5, 'manage-help': 0.3 };
const MIN_RUNS = 5;
const createAppBin = fileURLToPath(new URL('../../packages/create-app/bin/create-app.js', import.meta.url));

export default {
  name: 'newcomer',
  description: 'create-app from the npm cache (budget 60 s); manage runserver ready (1.5 s); manage --help (300 ms)',
  cases: ['create-app', 'runserver-ready', 'manage-help'],
  usesLoadGenerator: false,
  async run({ cases, config, log }) {
    const runs = Math.max(config.pairs, MIN_RUNS);
    const root = mkdtempSync(join(tmpdir(), 'atrium-bench-newcomer-'));
    const results = [];
    try {
      // The project the other cases use is the warm-up run of create-app.
      const project = await createApp(root, 'warmup');
      if (cases.includes('create-app')) results.push(await measureBudget('create-app', BUDGETS['create-app'], runs, log, (i) => timed(() => createApp(root, `site${i}`))));
      const manage = join(project, 'node_modules', '.bin', 'manage');
      if (cases.includes('runserver-ready')) {
        await exec(manage, ['migrate'], project);
        results.push(await measureBudget('runserver-ready', BUDGETS['runserver-ready'], runs, log, () => runserverReady(manage, project)));
      }
      if (cases.includes('manage-help')) {
        await timed(() => exec(manage, ['--help'], project));
        results.push(await measureBudget('manage-help', BUDGETS['manage-help'], runs, log, () => timed(() => exec(manage, ['--help'], project))));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return results;
  },
};

/** A user's environment: none of the benchmark's npm/ATRIUM_ variables; npm offline and quiet. */
function userEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|ATRIUM_)/i.test(key) && key !== 'NODE_ENV' && key !== 'DEBUG') env[key] = value;
  return { ...env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
}

function exec(command, args, cwd) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: userEnv(), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

async function createApp(root, name) {
  await exec(process.execPath, [createAppBin, name, '--atrium-source', 'local'], root);
  return join(root, name);
}

async function timed(work) {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Seconds from spawning `manage runserver --noreload` to the first 200 from the notes list. */
async function runserverReady(manage, project) {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const child = spawn(manage, ['runserver', '--noreload', `127.0.0.1:${port}`], { cwd: project, env: userEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`runserver did not serve the project:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/notes/`).then((response) => response.status === 200, () => false);
      if (ok) return Number(process.hrtime.bigint() - start) / 1e9;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}
