import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { AccessLogFormat } from '@atrium/core';
import { InvalidServeOption } from '../errors.js';
import { parseAddrPort, type AddrPort } from '../runserver/addrport.js';

/** Everything `manage serve` needs, validated; the primary hands it to each worker as JSON. */
export interface ServeConfig {
  workers: number;
  binds: AddrPort[];
  /** Unix socket path (absolute), or null. */
  socket: string | null;
  /** ms an in-flight request may take to finish on shutdown or reload. */
  gracefulTimeoutMs: number;
  /** ms before a request without a response is answered 503; 0: never. */
  timeoutMs: number;
  /** ms without a heartbeat before a worker counts as hung and is killed. */
  workerTimeoutMs: number;
  /** ms a new worker may take to load the project and listen. */
  bootTimeoutMs: number;
  /** Recycle a worker after this many requests (plus up to `maxRequestsJitter`); 0: never. */
  maxRequests: number;
  maxRequestsJitter: number;
  /** Recycle a worker whose resident memory exceeds this many MiB; 0: never. */
  maxMemoryMb: number;
  /** '-' for stdout, an absolute file path, or null for no access log. */
  accessLog: string | null;
  accessLogFormat: AccessLogFormat;
  /** Start even with DEBUG on (never in production). */
  insecureDebug: boolean;
}

/** The options as commander hands them over (strings; `bind` repeated). */
export interface RawServeOptions {
  workers?: string;
  bind?: string[];
  socket?: string;
  gracefulTimeout?: string;
  timeout?: string;
  workerTimeout?: string;
  bootTimeout?: string;
  maxRequests?: string;
  maxRequestsJitter?: string;
  maxMemory?: string;
  accessLog?: string | boolean;
  accessLogFormat?: string;
  insecureDebug?: boolean;
}

/**
 * Validate `manage serve`'s options; each bad value is an InvalidServeOption
 * naming the option. Durations are given in seconds (fractions allowed).
 * @example parseServeOptions({ workers: '2', bind: ['0.0.0.0:8000'] }, '/srv/app').workers // 2
 */
export function parseServeOptions(raw: RawServeOptions, cwd: string): ServeConfig {
  const binds = (raw.bind ?? []).map((value) => parseAddrPort(value));
  const socket = raw.socket === undefined ? null : resolve(cwd, raw.socket);
  if (binds.length === 0 && socket === null) binds.push(parseAddrPort('127.0.0.1:8000'));
  const format = raw.accessLogFormat ?? 'combined';
  if (format !== 'common' && format !== 'combined') throw new InvalidServeOption(`--access-log-format must be 'common' or 'combined', got '${format}'.`);
  return {
    workers: integer('--workers', raw.workers, availableParallelism(), 1),
    binds,
    socket,
    gracefulTimeoutMs: seconds('--graceful-timeout', raw.gracefulTimeout, 30, 0.001),
    timeoutMs: seconds('--timeout', raw.timeout, 60, 0),
    workerTimeoutMs: seconds('--worker-timeout', raw.workerTimeout, 30, 1),
    bootTimeoutMs: seconds('--boot-timeout', raw.bootTimeout, 60, 1),
    maxRequests: integer('--max-requests', raw.maxRequests, 0, 0),
    maxRequestsJitter: integer('--max-requests-jitter', raw.maxRequestsJitter, 0, 0),
    maxMemoryMb: integer('--max-memory', raw.maxMemory, 0, 0),
    accessLog: accessLogTarget(raw.accessLog, cwd),
    accessLogFormat: format,
    insecureDebug: raw.insecureDebug === true,
  };
}

function integer(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new InvalidServeOption(`${flag} must be a whole number of at least ${min}, got '${value}'.`);
  }
  return Number(value);
}

/** Seconds (e.g. '30', '0.5') to ms. */
function seconds(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback * 1000;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > 86_400) {
    throw new InvalidServeOption(`${flag} must be a number of seconds between ${min} and 86400, got '${value}'.`);
  }
  return Math.round(parsed * 1000);
}

function accessLogTarget(value: string | boolean | undefined, cwd: string): string | null {
  if (value === undefined || value === false) return null;
  if (value === true || value === '-') return '-';
  return isAbsolute(value) ? value : resolve(cwd, value);
}
