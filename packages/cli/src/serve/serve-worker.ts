import cluster from 'node:cluster';
import { createWriteStream } from 'node:fs';
import { randomInt } from 'node:crypto';
import { AccessLog, serve, type LogSink, type RunningServer } from '@atrium/core';
import type { CliRuntime } from '../cli-runtime.js';
import { reportError } from '../report-error.js';
import type { ServeConfig } from './serve-config.js';
import { isDrainMessage, type WorkerMessage } from './worker-messages.js';
import { listenError } from '../runserver/listen-error.js';
import { urlHost } from '../runserver/addrport.js';

const HEARTBEAT_MS = 1_000;
/** Idle keep-alive connections get this long to be used once more (answered with Connection: close) before they are closed. */
const DRAIN_IDLE_GRACE_MS = 1_000;

/**
 * One `manage serve` worker: load the project, listen on every address
 * (node:cluster shares the listeners with the other workers), tell the
 * primary it is ready, send heartbeats, ask to be recycled past
 * --max-requests/--max-memory, and drain on the primary's request, SIGTERM,
 * SIGINT or the primary's death. Never returns: the process exits.
 */
export async function runServeWorker(runtime: CliRuntime, config: ServeConfig): Promise<never> {
  // A terminal hang-up reaches the whole process group; only the primary reloads.
  process.on('SIGHUP', () => {});
  let servers: RunningServer[] = [];
  try {
    // The primary's own load wrote the INSTALLED_APPS cache, but after a deploy changed settings.ts (SIGHUP), or
    // with node_modules read-only, it is stale here: without this the worker loads the framework through tsx's
    // hooks and idles about 30 MB larger (issue #10).
    await runtime.prepareInstalledApps();
    const project = await runtime.loadProject();
    const accessLog = config.accessLog === null ? undefined : new AccessLog(config.accessLogFormat, logSink(config.accessLog));
    const recycle = recycler(config);
    const log = (line: string) => runtime.printError(line);
    const common = { responseTimeoutMs: config.timeoutMs, onRequest: recycle.countRequest, drainIdleGraceMs: DRAIN_IDLE_GRACE_MS, keepApplicationOpen: true, log, ...(accessLog ? { accessLog } : {}) };
    for (const bind of config.binds) {
      servers.push(await serve(project, { ...common, host: bind.host, port: bind.port }).catch((error: unknown) => Promise.reject(listenError(error, bind, (port) => `manage serve --bind ${urlHost(bind.host)}:${port}`))));
    }
    if (config.socket !== null) servers.push(await serve(project, { ...common, socketPath: config.socket }));
    const heartbeat = setInterval(() => {
      send({ type: 'atrium:heartbeat' });
      recycle.checkMemory();
    }, HEARTBEAT_MS);
    let draining = false;
    const drain = () => {
      if (draining) return;
      draining = true;
      clearInterval(heartbeat);
      const running = servers;
      servers = [];
      Promise.all(running.map((server) => server.close(config.gracefulTimeoutMs)))
        .then(() => project.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            runtime.printError(`Worker ${process.pid}: error while shutting down: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
          },
        );
    };
    process.on('message', (message) => {
      if (isDrainMessage(message)) drain();
    });
    process.once('SIGTERM', drain);
    process.once('SIGINT', drain);
    process.once('disconnect', drain);
    send({ type: 'atrium:ready', urls: servers.map((server) => server.url) });
  } catch (error) {
    process.exit(reportError(error, runtime.stderr, runtime.traceback));
  }
  return new Promise<never>(() => {});
}

function send(message: WorkerMessage): void {
  if (cluster.worker?.isConnected()) cluster.worker.send(message);
}

/** Counts requests and watches memory; asks the primary for a replacement once, at the first limit reached. */
function recycler(config: ServeConfig): { countRequest: () => void; checkMemory: () => void } {
  // Jitter spreads the restarts of workers that started together.
  const limit = config.maxRequests > 0 ? config.maxRequests + randomInt(config.maxRequestsJitter + 1) : Infinity;
  const maxBytes = config.maxMemoryMb > 0 ? config.maxMemoryMb * 1024 * 1024 : Infinity;
  let count = 0;
  let asked = false;
  const ask = (reason: string) => {
    if (asked) return;
    asked = true;
    send({ type: 'atrium:recycle', reason });
  };
  return {
    countRequest: () => {
      if (++count === limit) ask(`served ${count} requests (--max-requests)`);
    },
    checkMemory: () => {
      if (maxBytes === Infinity) return;
      const rss = process.memoryUsage.rss();
      if (rss > maxBytes) ask(`uses ${Math.round(rss / 1024 / 1024)} MiB of memory, over --max-memory ${config.maxMemoryMb}`);
    },
  };
}

function logSink(target: string): LogSink {
  if (target === '-') return process.stdout;
  const stream = createWriteStream(target, { flags: 'a' });
  stream.on('error', (error) => process.stderr.write(`[atrium] Cannot write the access log ${target}: ${error.message}\n`));
  return stream;
}
