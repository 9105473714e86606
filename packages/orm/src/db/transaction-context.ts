import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection as DriverConnection, Kysely } from 'kysely';
import { AsyncMutex } from './async-mutex.js';

/**
 * One level of `atomic()`: the outermost is a real transaction, inner ones are
 * savepoints on the same driver connection.
 */
export interface TransactionFrame {
  readonly alias: string;
  /** The driver connection the whole transaction runs on. */
  readonly connection: DriverConnection;
  /** Executor bound to that connection (a Kysely controlled transaction). */
  readonly trx: Kysely<any>;
  readonly parent: TransactionFrame | null;
  /** Savepoint name; null for the outermost frame. */
  readonly savepoint: string | null;
  /** onCommit hooks registered in this frame (moved to the parent when a savepoint is released). */
  hooks: Array<() => unknown>;
  /** False once committed or rolled back: stray async work started inside falls back to the parent. */
  open: boolean;
  /** Serialises child atomic() blocks, so two concurrent savepoints never interleave on one connection. */
  readonly childLock: AsyncMutex;
  /**
   * A test-case transaction (testing fixture): never committed, so the hooks of
   * its direct children run when those children finish, as if they had committed.
   */
  readonly testCase: boolean;
  /** Counter for unique savepoint names below this frame. */
  savepointCount: number;
}

interface ContextStore {
  /** Innermost frame per alias for this async context. */
  readonly frames: ReadonlyMap<string, TransactionFrame>;
  /** Set while the outermost `begin` runs, so the driver can hand over its connection. */
  readonly beginning: { alias: string; connection: DriverConnection | null } | null;
}

const storage = new AsyncLocalStorage<ContextStore>();

/**
 * Frames installed for every async context (the per-test transaction of the
 * testing fixture), because vitest hooks cannot hand an AsyncLocalStorage
 * context to the test body.
 */
const pinned = new Map<string, TransactionFrame>();

/** Driver connections owned by an open outermost frame: "release" must not give them back yet. */
const held = new WeakSet<DriverConnection>();

/** The innermost open frame for `alias` in this async context, or null. */
export function currentFrame(alias: string): TransactionFrame | null {
  let frame: TransactionFrame | null | undefined = storage.getStore()?.frames.get(alias);
  while (frame && !frame.open) frame = frame.parent;
  if (frame) return frame;
  // Outside the testing fixture nothing is pinned: every query outside atomic() asks, so skip the lookup.
  if (pinned.size === 0) return null;
  const pin = pinned.get(alias);
  return pin && pin.open ? pin : null;
}

/** Run `fn` with `frame` as the innermost frame of its alias. */
export function runInFrame<T>(frame: TransactionFrame, fn: () => Promise<T>): Promise<T> {
  const store = storage.getStore();
  const frames = new Map(store?.frames ?? []);
  frames.set(frame.alias, frame);
  return storage.run({ frames, beginning: null }, fn);
}

/**
 * Run the `begin` of an outermost transaction and capture the driver
 * connection it ran on (the driver wrapper reports it through `noteBegin`).
 */
export async function captureBegin<T>(alias: string, begin: () => Promise<T>): Promise<{ result: T; connection: DriverConnection }> {
  const beginning = { alias, connection: null as DriverConnection | null };
  const result = await storage.run({ frames: storage.getStore()?.frames ?? new Map(), beginning }, begin);
  if (!beginning.connection) throw new Error(`Internal error: no connection captured for the transaction on '${alias}'`);
  return { result, connection: beginning.connection };
}

/** Called by the driver wrapper right after BEGIN ran on `connection`. */
export function noteBegin(alias: string, connection: DriverConnection): void {
  const beginning = storage.getStore()?.beginning;
  if (beginning && beginning.alias === alias) beginning.connection = connection;
}

export function holdConnection(connection: DriverConnection): void {
  held.add(connection);
}
export function unholdConnection(connection: DriverConnection): void {
  held.delete(connection);
}
export function isHeld(connection: DriverConnection): boolean {
  return held.has(connection);
}

export function pinFrame(frame: TransactionFrame): void {
  pinned.set(frame.alias, frame);
}
export function unpinFrame(alias: string): void {
  pinned.delete(alias);
}
export function pinnedFrame(alias: string): TransactionFrame | null {
  return pinned.get(alias) ?? null;
}
