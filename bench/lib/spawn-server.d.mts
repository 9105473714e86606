import type { FetchedResponse } from './techempower.mjs';

export interface StartedServer {
  name: string;
  url: string;
  port: number;
  pid: number | undefined;
  readonly output: string;
  /** CPU seconds of the server process and its live descendants (workers). */
  cpuSeconds(): Promise<number | null>;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number>;

/** Run `node [nodeArgs] <script> [scriptArgs(port)]` with HOST and PORT set, pinned to `cpu` (default: the server core), once it answers HTTP. */
export function startServer(options: {
  name: string;
  script: string;
  scriptArgs?: (port: number) => string[];
  cwd?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  cpu?: number | string;
  readyPath?: string;
  readyOutput?: RegExp | null;
  timeoutMs?: number;
}): Promise<StartedServer>;

/** One GET with the response's status, lower-cased headers and body. */
export function fetchOnce(url: string): Promise<FetchedResponse>;

/** User + system CPU seconds used by process `pid`, or null where there is no /proc. */
export function processCpuSeconds(pid: number): Promise<number | null>;

/** processCpuSeconds() summed over `pid` and its live descendants, or null where there is no /proc. */
export function processTreeCpuSeconds(pid: number): Promise<number | null>;
