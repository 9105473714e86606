/** Session data: a JSON object. Values must survive JSON.stringify/parse. */
export type SessionData = Record<string, unknown>;

/**
 * Where sessions live: Redis, a signed cookie, memory, or (second pass) the
 * database. One small interface, checked by one conformance suite for every
 * backend. Stores never see a key the Session did not accept, and treat a
 * missing, expired or tampered-with session the same: `load` gives null.
 */
export interface SessionStore {
  /** Shown in errors ('redis', 'signed_cookies'...). */
  readonly name: string;
  /**
   * False when the data travels with the client (signed cookies): delete and
   * cycleKey then cannot revoke a copy the client kept until it expires.
   */
  readonly revocable: boolean;
  /** A key no stored session has: at least 128 bits from the CSPRNG. */
  createKey(): Promise<string>;
  /** The data under `key`, or null when unknown, expired or invalid. */
  load(key: string): Promise<SessionData | null>;
  /**
   * Store `data` under `key` until `expiresAt`, creating or replacing it.
   * Returns the value the session cookie carries (the key itself, or for
   * signed cookies the signed data).
   */
  save(key: string, data: SessionData, expiresAt: Date): Promise<string>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Remove expired sessions (`manage clearsessions`); returns how many were removed, when known. */
  clearExpired(): Promise<number>;
  /** Release connections. */
  close?(): Promise<void>;
}
