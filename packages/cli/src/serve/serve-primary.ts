import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { CliRuntime } from '../cli-runtime.js';
import { WorkerBootFailed } from '../errors.js';
import type { ServeConfig } from './serve-config.js';
import { isWorkerMessage, type DrainMessage } from './worker-messages.js';

/** The environment variable that carries the ServeConfig (JSON) to each worker. */
export const SERVE_CONFIG_ENV = 'MANAGE_SERVE_CONFIG';

const BIN_PATH = fileURLToPath(new URL('../../bin/manage.js', import.meta.url));
/** How often the watchdog looks for hung workers. */
const WATCHDOG_MS = 500;
/** A draining worker gets this much longer than --graceful-timeout before it is killed. */
const KILL_MARGIN_MS = 5_000;

interface WorkerState {
  readonly worker: Worker;
  ready: boolean;
  draining: boolean;
  /** A replacement was asked for (--max-requests, --max-memory). */
  recycling: boolean;
  lastBeat: number;
  urls: string[];
  /** The worker to drain once this one is ready (it replaces a recycled one). */
  replaces: Worker | null;
  /** The reload this worker belongs to, if it was started by SIGHUP. */
  reload: Reload | null;
  timer: NodeJS.Timeout | undefined;
  /** Sent SIGTERM while still booting (it has no drain handler yet), so dying of it is the expected end. */
  terminated: boolean;
}

/** A SIGHUP in progress: the old workers drain once every new one is ready. */
interface Reload {
  readonly pending: Set<Worker>;
  readonly old: Set<Worker>;
}

/**
 * The `manage serve` primary: forks the workers (node:cluster shares the
 * listening sockets and deals connections out to them), and supervises them:
 * replaces a crashed worker, kills a hung one (no heartbeat for
 * --worker-timeout), recycles one that asks for it (a replacement starts
 * and is ready before the old one drains), reloads all on SIGHUP the same
 * way, and on SIGTERM/SIGINT drains all and resolves with the exit code. A
 * worker that fails to boot stops the server (exit code 1) instead of
 * restarting in a loop; during a reload it only cancels the reload.
 */
export class ServePrimary {
  readonly #runtime: CliRuntime;
  readonly #config: ServeConfig;
  readonly #states = new Map<Worker, WorkerState>();
  #phase: 'booting' | 'running' | 'stopping' = 'booting';
  #reload: Reload | null = null;
  #exitCode = 0;
  #done: (code: number) => void = () => {};

  constructor(runtime: CliRuntime, config: ServeConfig) {
    this.#runtime = runtime;
    this.#config = config;
  }

  /** Start the workers; resolves with the exit code once all of them are gone. */
  run(): Promise<number> {
    const args = ['serve'];
    if (this.#runtime.settingsModule !== undefined) args.push('--settings', this.#runtime.settingsModule);
    if (this.#runtime.traceback) args.push('--traceback');
    cluster.setupPrimary({ exec: BIN_PATH, args, cwd: this.#runtime.cwd });
    const stop = (signal: NodeJS.Signals) => this.#shutdown(0, `Received ${signal}; finishing in-flight requests (up to ${this.#config.gracefulTimeoutMs / 1000} s), then stopping.`);
    const reload = () => this.#startReload();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', reload);
    const watchdog = setInterval(() => this.#watch(), WATCHDOG_MS);
    return new Promise<number>((resolve) => {
      this.#done = resolve;
      for (let i = 0; i < this.#config.workers; i++) this.#fork(null, null);
    }).finally(() => {
      clearInterval(watchdog);
      process.removeListener('SIGTERM', stop);
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGHUP', reload);
    });
  }

  #fork(replaces: Worker | null, reload: Reload | null): void {
    const worker = cluster.fork({ ...this.#runtime.env, [SERVE_CONFIG_ENV]: JSON.stringify(this.#config) });
    const state: WorkerState = { worker, ready: false, draining: false, recycling: false, lastBeat: Date.now(), urls: [], replaces, reload, timer: undefined, terminated: false };
    state.timer = setTimeout(() => {
      this.#log(`Worker ${pid(worker)} did not become ready within ${this.#config.bootTimeoutMs / 1000} s (--boot-timeout); killing it.`);
      worker.process.kill('SIGKILL');
    }, this.#config.bootTimeoutMs);
    this.#states.set(worker, state);
    reload?.pending.add(worker);
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      state.lastBeat = Date.now();
      if (message.type === 'atrium:ready') this.#ready(state, message.urls);
      else if (message.type === 'atrium:recycle') this.#recycle(state, message.reason);
    });
    worker.on('exit', (code, signal) => this.#exited(state, code, signal));
    // A worker that dies while being told something must not take the primary down.
    worker.on('error', () => {});
  }

  #ready(state: WorkerState, urls: string[]): void {
    state.ready = true;
    state.urls = urls;
    state.lastBeat = Date.now();
    clearTimeout(state.timer);
    if (this.#phase === 'stopping') return this.#drain(state);
    if (this.#phase === 'booting' && [...this.#states.values()].every((s) => s.ready)) {
      this.#phase = 'running';
      const pids = [...this.#states.keys()].map(pid).join(', ');
      this.#runtime.print(`manage serve: ${this.#states.size} worker(s) (pids ${pids}) at ${urls.join(', ')} — primary pid ${process.pid}; SIGTERM/SIGINT stops, SIGHUP reloads.`);
    }
    if (state.replaces !== null) {
      const old = this.#states.get(state.replaces);
      if (old) this.#drain(old);
    }
    const reload = state.reload;
    if (reload !== null && reload === this.#reload) {
      reload.pending.delete(state.worker);
      if (reload.pending.size === 0) {
        this.#reload = null;
        this.#log(`Reload complete: ${this.#config.workers} new worker(s) ready; draining ${reload.old.size} old one(s).`);
        for (const old of reload.old) {
          const oldState = this.#states.get(old);
          if (oldState) this.#drain(oldState);
        }
      }
    }
  }

  #recycle(state: WorkerState, reason: string): void {
    if (this.#phase !== 'running' || state.draining || state.recycling) return;
    state.recycling = true;
    this.#log(`Worker ${pid(state.worker)} ${reason}; starting its replacement.`);
    this.#fork(state.worker, null);
  }

  #startReload(): void {
    if (this.#phase !== 'running') return this.#log(`Received SIGHUP while ${this.#phase}; ignored.`);
    if (this.#reload !== null) return this.#log('Received SIGHUP during a reload; ignored.');
    const old = new Set([...this.#states.values()].filter((s) => !s.draining).map((s) => s.worker));
    this.#reload = { pending: new Set(), old };
    this.#log(`Received SIGHUP; starting ${this.#config.workers} new worker(s), then draining the ${old.size} old one(s).`);
    for (let i = 0; i < this.#config.workers; i++) this.#fork(null, this.#reload);
  }

  #exited(state: WorkerState, code: number | null, signal: string | null): void {
    clearTimeout(state.timer);
    this.#states.delete(state.worker);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.#phase === 'stopping') {
      const stoppedAsAsked = code === 0 || (state.terminated && signal === 'SIGTERM');
      if (!stoppedAsAsked) this.#exitCode = this.#exitCode || 1;
      if (this.#states.size === 0) this.#done(this.#exitCode);
      return;
    }
    if (state.draining) {
      this.#log(`Worker ${pid(state.worker)} drained and ${how}.`);
      return;
    }
    if (!state.ready) return this.#bootFailed(state, how);
    if ([...this.#states.values()].some((s) => s.replaces === state.worker)) {
      this.#log(`Worker ${pid(state.worker)} ${how} while its replacement starts.`);
      return;
    }
    if (this.#reload?.old.delete(state.worker)) {
      this.#log(`Worker ${pid(state.worker)} ${how} during a reload; the new workers take its place.`);
      return;
    }
    this.#log(`Worker ${pid(state.worker)} ${how} unexpectedly; starting a replacement.`);
    this.#fork(null, null);
  }

  #bootFailed(state: WorkerState, how: string): void {
    const reload = state.reload;
    if (reload !== null && reload === this.#reload) {
      // The old workers keep serving: a broken deploy must not take the site down.
      this.#reload = null;
      this.#log(`A new worker (pid ${pid(state.worker)}) ${how} before it was ready, so the reload is cancelled; the old workers keep serving. Fix the error above and send SIGHUP again.`);
      for (const fresh of reload.pending) {
        const s = this.#states.get(fresh);
        if (s) this.#stopWorker(s);
      }
      return;
    }
    this.#runtime.printError(`Error: ${new WorkerBootFailed(`Worker ${pid(state.worker)} ${how} before it was ready (see its error above); stopping instead of restarting it in a loop.`).message}`);
    this.#shutdown(1, null);
  }

  #shutdown(code: number, message: string | null): void {
    if (this.#phase === 'stopping') return;
    this.#phase = 'stopping';
    this.#exitCode = code;
    if (message !== null) this.#log(message);
    if (this.#states.size === 0) return this.#done(code);
    for (const state of this.#states.values()) this.#stopWorker(state);
  }

  /** Drain a ready worker; a booting one has no drain handler yet, so it gets SIGTERM. */
  #stopWorker(state: WorkerState): void {
    if (state.ready) this.#drain(state);
    else {
      state.draining = true;
      state.terminated = true;
      clearTimeout(state.timer);
      state.worker.process.kill('SIGTERM');
    }
  }

  #drain(state: WorkerState): void {
    if (state.draining) return;
    state.draining = true;
    const message: DrainMessage = { type: 'atrium:drain' };
    if (state.worker.isConnected()) state.worker.send(message);
    else state.worker.process.kill('SIGTERM');
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      this.#log(`Worker ${pid(state.worker)} did not finish draining within --graceful-timeout; killing it.`);
      state.worker.process.kill('SIGKILL');
    }, this.#config.gracefulTimeoutMs + KILL_MARGIN_MS);
  }

  /** Kill workers whose heartbeat stopped: a blocked event loop serves nobody. */
  #watch(): void {
    const now = Date.now();
    for (const state of this.#states.values()) {
      if (state.ready && now - state.lastBeat > this.#config.workerTimeoutMs) {
        this.#log(`Worker ${pid(state.worker)} sent no heartbeat for ${Math.round((now - state.lastBeat) / 1000)} s (--worker-timeout); killing it.`);
        state.lastBeat = Infinity; // once
        state.worker.process.kill('SIGKILL');
      }
    }
  }

  #log(line: string): void {
    this.#runtime.printError(`[atrium serve] ${line}`);
  }
}

function pid(worker: Worker): number | string {
  return worker.process.pid ?? '?';
}
