import type { SessionData, SessionStore } from './session-store.js';
import { AtriumError } from '@atrium/core';
import { SessionStoreUnavailable } from '../errors.js';

/** What a Session needs besides its store. */
export interface SessionOptions {
  /** Seconds a session lives (SESSION_COOKIE_AGE). */
  cookieAge: number;
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE. */
  expireAtBrowserClose: boolean;
  /** What to do when the store fails: 'error' throws SessionStoreUnavailable (503); 'anonymous' carries on with an empty, unsaved session. */
  onStoreFailure: 'error' | 'anonymous';
  /** Reports a store failure handled in 'anonymous' mode. */
  warn?: (message: string) => void;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

/** Where a custom expiry is kept in the data, as Django does. */
const EXPIRY_KEY = '_session_expiry';

/**
 * One client's session, loaded from the store on first use only (a request
 * that never touches `request.state.session` costs no round trip) and saved
 * by the middleware only when modified. Methods are async because the first
 * one loads.
 * @example
 * const session = request.state.session!;
 * const cart = (await session.get<string[]>('cart')) ?? [];
 * await session.set('cart', [...cart, sku]);
 */
export class Session {
  readonly store: SessionStore;
  readonly options: SessionOptions;
  #key: string | null;
  #data: SessionData | null = null;
  #loading: Promise<SessionData> | null = null;
  #modified = false;
  #accessed = false;
  /** The store failed and onStoreFailure is 'anonymous': never save. */
  #degraded = false;
  /** The key the client sent, when the session had one to begin with. */
  readonly initialKey: string | null;

  constructor(store: SessionStore, key: string | null, options: SessionOptions) {
    this.store = store;
    this.options = options;
    this.#key = key;
    this.initialKey = key;
  }

  /** The current key (null until saved for a new session). For signed cookies, the cookie value. */
  get key(): string | null {
    return this.#key;
  }

  /** True once data changed and must be saved. */
  get modified(): boolean {
    return this.#modified;
  }

  /** True once the data was read or written (the response then varies on Cookie). */
  get accessed(): boolean {
    return this.#accessed;
  }

  /** True when the store failed and the session is served empty and will not be saved. */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** True when the session has no data and no key (nothing to save or keep). Unloaded sessions with a key count as non-empty. */
  get isEmpty(): boolean {
    if (this.#data === null) return this.#key === null;
    return Object.keys(this.#data).length === 0 && this.#key === null;
  }

  /** Mark the session modified after changing a value in place (`(await s.get('cart')).push(x)`). */
  markModified(): void {
    this.#modified = true;
  }

  async get<T = unknown>(name: string): Promise<T | undefined> {
    const data = await this.#load();
    return Object.hasOwn(data, name) ? (data[name] as T) : undefined;
  }

  async has(name: string): Promise<boolean> {
    return Object.hasOwn(await this.#load(), name);
  }

  async set(name: string, value: unknown): Promise<void> {
    assertName(name);
    const data = await this.#load();
    data[name] = value;
    this.#modified = true;
  }

  /** Remove a value; returns it. */
  async pop<T = unknown>(name: string): Promise<T | undefined> {
    const data = await this.#load();
    if (!Object.hasOwn(data, name)) return undefined;
    const value = data[name] as T;
    delete data[name];
    this.#modified = true;
    return value;
  }

  async delete(name: string): Promise<void> {
    await this.pop(name);
  }

  async keys(): Promise<string[]> {
    return Object.keys(await this.#load()).filter((k) => k !== EXPIRY_KEY);
  }

  /** A copy of the data (without the internal expiry entry). */
  async toJSON(): Promise<SessionData> {
    const { [EXPIRY_KEY]: _expiry, ...rest } = await this.#load();
    return structuredClone(rest);
  }

  /** Remove every value, keeping the key (Django's `clear`). */
  async clear(): Promise<void> {
    await this.#load();
    this.#data = {};
    this.#modified = true;
  }

  /**
   * Keep the data under a new key and delete the old one: call at login, so
   * a key planted before login (session fixation) is worthless after it.
   * @example await session.cycleKey(); await session.set('_auth_user_id', user.id);
   */
  async cycleKey(): Promise<void> {
    const data = await this.#load();
    const oldKey = this.#key;
    const newKey = await this.#guard(() => this.store.createKey());
    if (newKey === undefined) return;
    const saved = await this.#guard(() => this.store.save(newKey, data, this.expiryDate()));
    if (saved === undefined) return;
    this.#key = saved;
    this.#modified = true;
    if (oldKey !== null) await this.#guard(() => this.store.delete(oldKey));
  }

  /**
   * Delete the session from the store and start an empty one with no key:
   * call at logout. The middleware then deletes the cookie.
   * @example await request.state.session!.flush();
   */
  async flush(): Promise<void> {
    const oldKey = this.#key;
    this.#data = {};
    this.#key = null;
    this.#modified = true;
    this.#accessed = true;
    if (oldKey !== null) await this.#guard(() => this.store.delete(oldKey));
  }

  /**
   * Set this session's lifetime: seconds from the last save, a Date, 0 for
   * "until the browser closes", or null to go back to the settings.
   * @example await session.setExpiry(0); // not remembered after the browser closes
   */
  async setExpiry(value: number | Date | null): Promise<void> {
    if (value === null) {
      await this.pop(EXPIRY_KEY);
      return;
    }
    await this.set(EXPIRY_KEY, value instanceof Date ? { at: value.getTime() } : { age: value });
  }

  /** Seconds until the session expires, from now. */
  expiryAge(): number {
    const custom = this.#data?.[EXPIRY_KEY] as { at?: number; age?: number } | undefined;
    if (custom && typeof custom.at === 'number') return Math.max(0, Math.floor((custom.at - this.#now()) / 1000));
    if (custom && typeof custom.age === 'number' && custom.age > 0) return custom.age;
    return this.options.cookieAge;
  }

  expiryDate(): Date {
    return new Date(this.#now() + this.expiryAge() * 1000);
  }

  /** True when the cookie should have no Max-Age (expires when the browser closes). */
  expiresAtBrowserClose(): boolean {
    const custom = this.#data?.[EXPIRY_KEY] as { age?: number } | undefined;
    if (custom && custom.age === 0) return true;
    if (custom) return false;
    return this.options.expireAtBrowserClose;
  }

  /**
   * Write to the store when needed; returns the cookie value, or null when
   * there is nothing to keep. Called by the middleware after the view.
   */
  async save(): Promise<string | null> {
    if (this.#degraded) return null;
    const data = await this.#load();
    if (this.#key === null && Object.keys(data).length === 0) return null;
    const key = this.#key ?? (await this.#guard(() => this.store.createKey()));
    if (key === undefined) return null;
    const saved = await this.#guard(() => this.store.save(key, data, this.expiryDate()));
    if (saved === undefined) return null;
    this.#key = saved;
    this.#modified = false;
    return saved;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #load(): Promise<SessionData> {
    this.#accessed = true;
    if (this.#data !== null) return Promise.resolve(this.#data);
    this.#loading ??= this.#fetch().then((data) => {
      this.#data ??= data;
      return this.#data;
    });
    return this.#loading;
  }

  async #fetch(): Promise<SessionData> {
    const key = this.#key;
    if (key === null) return {};
    const data = await this.#guard(() => this.store.load(key));
    if (data === undefined) return {};
    if (data === null) {
      // Unknown or expired: start afresh under a new key rather than adopt the client's.
      this.#key = null;
      return {};
    }
    return data;
  }

  /**
   * Run a store call; on failure either throw SessionStoreUnavailable (503)
   * or, in 'anonymous' mode, mark the session degraded and give undefined.
   * Either way nobody is treated as who the missing session said they were.
   */
  async #guard<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      // Atrium errors are the program's own mistakes (a cookie too large), not an outage.
      if (error instanceof AtriumError) throw error;
      if (this.options.onStoreFailure === 'error') throw new SessionStoreUnavailable(this.store.name, error);
      this.#degraded = true;
      this.#data = {};
      this.#key = null;
      this.options.warn?.(`[atrium] Session store '${this.store.name}' failed (${error instanceof Error ? error.message : String(error)}); serving the request with an empty session.`);
      return undefined;
    }
  }
}

function assertName(name: string): void {
  if (name === '__proto__' || name === 'constructor' || name === 'prototype') {
    throw new TypeError(`'${name}' cannot be a session key; choose another name`);
  }
}
