import { randomUUID } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { HttpRequest } from '../http/request.js';

/** A message from the client: text frames arrive as strings, binary frames as Buffers. */
export type WebSocketMessage = string | Buffer;

/** How a connection ended: the close code (1000 normal, 1001 going away, 1006 dropped...) and reason. */
export interface WebSocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

export interface WebSocketConnectionOptions {
  /** Bytes queued for this client before it is dropped as a slow reader (code 1008). */
  maxBuffered: number;
  /** Reports errors thrown by onMessage handlers. */
  log: (line: string) => void;
}

/** Messages held for a consumer that has not read them yet; beyond this the socket stops reading (TCP back-pressure). */
const HIGH_WATER = 64;

/**
 * The consumer's side of one WebSocket: send text, bytes or JSON, receive
 * messages with `for await` or `onMessage`, close. Messages that arrive
 * before the consumer reads are queued (the socket pauses when the queue is
 * long, so a fast sender slows down instead of filling memory). Sending to
 * a closed socket does nothing; a client that stops reading is dropped once
 * WEBSOCKET_MAX_BUFFERED bytes wait for it.
 * @example
 * for await (const message of socket) await socket.json({ echo: String(message) });
 */
export class WebSocketConnection implements AsyncIterable<WebSocketMessage> {
  /** Unique id, for logs and channel-layer membership. */
  readonly id = randomUUID();
  /** The handshake request: session, user, cookies and headers as middleware left them. */
  readonly request: HttpRequest;
  /** Resolves once the connection is closed, by either side. */
  readonly closed: Promise<WebSocketCloseEvent>;

  readonly #socket: WebSocket;
  readonly #options: WebSocketConnectionOptions;
  readonly #queue: WebSocketMessage[] = [];
  #waiting: ((result: IteratorResult<WebSocketMessage>) => void) | null = null;
  #handler: ((message: WebSocketMessage) => void | Promise<void>) | null = null;
  #closeEvent: WebSocketCloseEvent | null = null;
  #paused = false;

  constructor(socket: WebSocket, request: HttpRequest, options: WebSocketConnectionOptions) {
    this.#socket = socket;
    this.request = request;
    this.#options = options;
    socket.on('message', (data: RawData, isBinary: boolean) => this.#receive(isBinary ? toBuffer(data) : toBuffer(data).toString('utf8')));
    // ws reports protocol errors (a frame over the size limit, bad UTF-8) here, then closes; without a listener they would be uncaught.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        this.#closeEvent = { code, reason: reason.toString('utf8') };
        this.#waiting?.({ value: undefined, done: true });
        this.#waiting = null;
        resolve(this.#closeEvent);
      });
    });
  }

  /** True until the closing handshake starts. */
  get isOpen(): boolean {
    return this.#socket.readyState === 1;
  }

  /** Send a text (string) or binary (bytes) message; resolves once handed to the socket, and quietly when the socket is closed. */
  send(data: string | Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    if (this.#socket.bufferedAmount > this.#options.maxBuffered) {
      this.close(1008, 'Client too slow: too much data waiting to be read');
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#socket.send(data, () => resolve()));
  }

  /**
   * Send `value` as a JSON text message.
   * @example await socket.json({ type: 'joined', user: user.username });
   */
  json(value: unknown): Promise<void> {
    return this.send(JSON.stringify(value) ?? 'null');
  }

  /** Start the closing handshake (1000 by default); a reason longer than 123 bytes is cut. */
  close(code = 1000, reason = ''): void {
    if (this.#socket.readyState >= 2) return;
    this.#socket.close(code, truncateReason(reason));
  }

  /** Drop the connection without a closing handshake (a dead peer, or a shutdown that ran out of time). */
  terminate(): void {
    this.#socket.terminate();
  }

  /**
   * Handle every message with `handler` (queued ones first), one at a time: the
   * next message waits for the returned promise. A handler that throws closes
   * the socket with 1011. Use either this or `for await`, not both.
   */
  onMessage(handler: (message: WebSocketMessage) => void | Promise<void>): void {
    this.#handler = handler;
    void this.#drain();
  }

  /** Run `fn` once the connection is closed. */
  onClose(fn: (event: WebSocketCloseEvent) => void): void {
    void this.closed.then(fn);
  }

  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    return {
      next: () => {
        const message = this.#queue.shift();
        if (message !== undefined) {
          this.#resumeIfDrained();
          return Promise.resolve({ value: message, done: false });
        }
        if (this.#closeEvent !== null) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.#waiting = resolve));
      },
      // Leaving a `for await` loop early (break, return) closes the socket. Deferred a turn,
      // so that when the loop was left by a throw the consumer's failure closes it with 1011 first.
      return: () => {
        setImmediate(() => this.close());
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** The `ws` socket underneath, for what this wrapper does not cover (subprotocols, extensions). */
  get raw(): WebSocket {
    return this.#socket;
  }

  #receive(message: WebSocketMessage): void {
    if (this.#waiting !== null) {
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting({ value: message, done: false });
      return;
    }
    this.#queue.push(message);
    if (this.#queue.length >= HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
    if (this.#handler !== null && this.#queue.length === 1) void this.#drain();
  }

  #resumeIfDrained(): void {
    if (this.#paused && this.#queue.length < HIGH_WATER / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  #draining = false;
  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      let message: WebSocketMessage | undefined;
      while (this.#handler !== null && (message = this.#queue.shift()) !== undefined) {
        this.#resumeIfDrained();
        try {
          await this.#handler(message);
        } catch (error) {
          this.#options.log(`WebSocket ${this.request.path}: the message handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          this.close(1011, 'Internal error');
          return;
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Close reasons are limited to 123 bytes of UTF-8 (RFC 6455 §5.5: 125 minus the code). */
function truncateReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}
