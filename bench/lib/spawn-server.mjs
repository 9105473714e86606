// Start a benchmark app in its own process, pinned to the server core, on a
// free loopback port, and wait until it answers HTTP.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { pinned, SERVER_CPU } from './pinning.mjs';

const HOST = '127.0.0.1';

/** A free TCP port on the loopback interface (bound, read, released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Run `node [nodeArgs] <script> [scriptArgs(port)]` with HOST and PORT in its
 * environment, pinned to `cpu` (the server core unless told; a taskset list
 * such as '0,1' is fine), and resolve once `readyPath` gets any HTTP response
 * and, when given, `readyOutput` has appeared in its output (a multi-process
 * server answers as soon as its first worker listens). `nodeArgs` such as
 * `--cpu-prof` help profiling.
 * @example const server = await startServer({ name: 'raw-node', script: 'bench/apps/raw-node.mjs' });
 * // ... load server.url ...
 * await server.stop();
 */
export async function startServer({
  name,
  script,
  scriptArgs = () => [],
  cwd,
  env = {},
  nodeArgs = [],
  cpu = SERVER_CPU,
  readyPath = '/',
  readyOutput = null,
  timeoutMs = 20_000,
}) {
  const port = await freePort();
  const { command, args } = pinned(cpu, process.execPath, [...nodeArgs, script, ...scriptArgs(port)]);
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env, HOST, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    // Keep the tail only: enough to explain a crash, bounded under load.
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const url = `http://${HOST}:${port}`;
  const deadline = Date.now() + timeoutMs;
  let ready = false;
  while (!ready) {
    const early = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50, null))]);
    if (early) {
      throw new Error(`Benchmark server '${name}' (${script}) exited with ${early.signal ?? `code ${early.code}`} before answering HTTP:\n${output}`);
    }
    ready = (readyOutput === null || readyOutput.test(output)) && (await answers(`${url}${readyPath}`));
    if (!ready && Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Benchmark server '${name}' (${script}) did not answer ${url}${readyPath} within ${timeoutMs} ms:\n${output}`);
    }
  }

  return {
    name,
    url,
    port,
    pid: child.pid,
    get output() {
      return output;
    },
    /** CPU seconds (user + system) the server, and any worker processes it started, have used so far, or null off Linux. */
    cpuSeconds: () => processTreeCpuSeconds(child.pid),
    /** SIGTERM, then SIGKILL after 3 s. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function answers(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(true));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * One GET with the response's status, headers (lower-cased) and body, for
 * checking that a benchmark app answers what the benchmark claims.
 */
export function fetchOnce(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

// Linux reports utime and stime in clock ticks, which are 1/100 s on every mainstream kernel config (USER_HZ).
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds used by process `pid`, from /proc/PID/stat, or
 * null where there is no /proc. CPU time per request does not depend on how
 * much of the core the server got, so it shows the server's own cost even on
 * a busy machine.
 */
export async function processCpuSeconds(pid) {
  let stat;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * processCpuSeconds() summed over `pid` and its descendants alive now (from
 * /proc/PID/task/TID/children), so a node:cluster primary counts its
 * workers' CPU too; null where there is no /proc.
 */
export async function processTreeCpuSeconds(pid) {
  const own = await processCpuSeconds(pid);
  if (own === null) return null;
  let total = own;
  for (const child of await childPids(pid)) total += (await processTreeCpuSeconds(child)) ?? 0;
  return total;
}

async function childPids(pid) {
  let tasks;
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const pids = [];
  for (const task of tasks) {
    const list = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    pids.push(...list.split(' ').filter(Boolean).map(Number));
  }
  return pids;
}
