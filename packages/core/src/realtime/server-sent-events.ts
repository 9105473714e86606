import type { HttpRequest } from '../http/request.js';
import { HttpResponse, type ResponseInit } from '../http/response.js';

/** One Server-Sent Event. `data` that is not a string is sent as JSON. */
export interface ServerSentEvent {
  data: unknown;
  /** The event type; the browser dispatches it to `addEventListener(event, ...)` (default 'message'). */
  event?: string;
  /** Sent back by a reconnecting browser as `Last-Event-ID` (see `lastEventId(request)`). */
  id?: string;
  /** ms the browser waits before reconnecting. */
  retry?: number;
}

/** What the stream is made from: events (or plain strings, sent as `data`), or a function given a signal that aborts when the client leaves. */
export type EventSource = AsyncIterable<ServerSentEvent | string> | ((signal: AbortSignal) => AsyncIterable<ServerSentEvent | string>);

export interface SseOptions extends ResponseInit {
  /** ms of silence after which a `: heartbeat` comment is sent, so proxies keep the connection open; 0 turns it off (default 15000). */
  heartbeat?: number;
  /** Reconnection delay sent to the browser first, in ms. */
  retry?: number;
}

/**
 * A `text/event-stream` response fed by an async iterable. When the client
 * disconnects, the source's `return()` runs (a generator's `finally`
 * blocks) and the signal passed to a source function aborts, so
 * subscriptions are released at once instead of at the next event.
 * @example
 * path('clock/', () => sse(async function* () {
 *   for (let i = 0; i < 3; i++) yield { event: 'tick', id: String(i), data: { i } };
 * }()))
 */
export function sse(source: EventSource, options: SseOptions = {}): HttpResponse {
  const { heartbeat = 15_000, retry, status, headers } = options;
  return new HttpResponse(new EventStreamBody(source, heartbeat, retry), {
    status: status ?? 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // nginx buffers responses by default; an event stream must go out as it is written.
      'x-accel-buffering': 'no',
      ...headers,
    },
  });
}

/**
 * The Last-Event-ID a reconnecting browser sent, or undefined.
 * @example const after = Number(lastEventId(request) ?? 0);
 */
export function lastEventId(request: HttpRequest): string | undefined {
  return request.header('last-event-id');
}

/**
 * Format one event in the wire format of the HTML standard
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * `event:`/`id:` lose line breaks (they would end the field), each line of
 * the data becomes a `data:` line.
 * @example formatEvent({ event: 'tick', data: 'a\nb' }) // 'event: tick\ndata: a\ndata: b\n\n'
 */
export function formatEvent(event: ServerSentEvent | string): string {
  if (typeof event === 'string') return dataLines(event) + '\n';
  let out = '';
  if (event.event !== undefined) out += `event: ${oneLine(event.event)}\n`;
  if (event.id !== undefined) out += `id: ${oneLine(event.id).replace(/\0/g, '')}\n`;
  if (event.retry !== undefined && Number.isInteger(event.retry) && event.retry >= 0) out += `retry: ${event.retry}\n`;
  const data = typeof event.data === 'string' ? event.data : (JSON.stringify(event.data) ?? 'null');
  return out + dataLines(data) + '\n';
}

function dataLines(data: string): string {
  return data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}

const HEARTBEAT = Symbol('heartbeat');
const CLOSED = Symbol('closed');
const DONE: IteratorResult<string> = { value: undefined, done: true };

/**
 * The body of an `sse()` response: an async iterable of text chunks whose
 * `return()` takes effect at once, even while the source is waiting for its
 * next event (an async generator's would wait for it).
 */
export class EventStreamBody implements AsyncIterable<string> {
  readonly #source: EventSource;
  readonly #heartbeat: number;
  readonly #retry: number | undefined;
  /** finish() of each live iteration, so the server can end the stream at shutdown. */
  readonly #live = new Set<() => void>();

  constructor(source: EventSource, heartbeat: number, retry: number | undefined) {
    this.#source = source;
    this.#heartbeat = heartbeat;
    this.#retry = retry;
  }

  /** End the stream as if the source had ended (graceful shutdown); the browser reconnects elsewhere. */
  end(): void {
    for (const finish of [...this.#live]) finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    const controller = new AbortController();
    const source = typeof this.#source === 'function' ? this.#source(controller.signal) : this.#source;
    const iterator = source[Symbol.asyncIterator]();
    const heartbeat = this.#heartbeat;
    let pending: Promise<IteratorResult<ServerSentEvent | string>> | null = null;
    let first = true;
    let finished = false;
    let wakeClosed: (value: typeof CLOSED) => void = () => undefined;
    const closed = new Promise<typeof CLOSED>((resolve) => (wakeClosed = resolve));

    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.#live.delete(finish);
      controller.abort();
      wakeClosed(CLOSED);
      // Not awaited: a generator busy in an await only returns once that settles.
      iterator.return?.()?.catch(() => undefined);
    };

    this.#live.add(finish);
    return {
      next: async () => {
        if (finished) return DONE;
        if (first) {
          first = false;
          // An initial comment makes proxies and browsers see the stream open at once.
          return { value: this.#retry === undefined ? ': stream open\n\n' : `retry: ${this.#retry}\n\n`, done: false };
        }
        pending ??= iterator.next();
        let timer: NodeJS.Timeout | undefined;
        const racers: Array<Promise<IteratorResult<ServerSentEvent | string> | typeof HEARTBEAT | typeof CLOSED>> = [pending, closed];
        if (heartbeat > 0) racers.push(new Promise((resolve) => (timer = setTimeout(() => resolve(HEARTBEAT), heartbeat))));
        let result: IteratorResult<ServerSentEvent | string> | typeof HEARTBEAT | typeof CLOSED;
        try {
          result = await Promise.race(racers);
        } catch (error) {
          finish();
          throw error;
        } finally {
          clearTimeout(timer);
        }
        if (result === CLOSED) return DONE;
        if (result === HEARTBEAT) return { value: ': heartbeat\n\n', done: false };
        pending = null;
        if (result.done) {
          finish();
          return DONE;
        }
        return { value: formatEvent(result.value), done: false };
      },
      return: () => {
        finish();
        return Promise.resolve(DONE);
      },
    };
  }
}
