import type { Redis } from 'ioredis';
import { BaseChannelLayer, logToStderr, serializeMessage, type GroupMember } from './channel-layer.js';

export interface RedisChannelLayerOptions {
  /** `redis://[:password@]host:port/db` */
  url: string;
  /** Prefix of the pub/sub channel names (default 'atrium:channels:'). */
  prefix?: string;
  /** ms to connect or to publish before giving up on that attempt (default 2000). */
  timeout?: number;
  log?: (line: string) => void;
}

/**
 * A channel layer over Redis pub/sub, so a message sent in one process
 * reaches the group's sockets in every process using the same server and
 * prefix. Each process subscribes to a group's channel while it has local
 * members. Two connections: one publishes (fails fast, never queues), one
 * subscribes (and resubscribes by itself after a reconnect). A Redis outage
 * never crashes the process: it is logged once, groupSend() answers false,
 * and both connections keep reconnecting in the background.
 * @example const layer = new RedisChannelLayer({ url: 'redis://127.0.0.1:6379/0' });
 */
export class RedisChannelLayer extends BaseChannelLayer {
  /** ioredis (about 20 MB once loaded) is imported when the layer is made, not when core is. */
  readonly #clients: Promise<{ publisher: Redis; subscriber: Redis }>;
  readonly #prefix: string;
  readonly #timeout: number;
  readonly #log: (line: string) => void;
  readonly #redacted: string;
  #down = false;

  constructor(options: RedisChannelLayerOptions) {
    super(options.log ?? logToStderr);
    this.#prefix = options.prefix ?? 'atrium:channels:';
    this.#timeout = options.timeout ?? 2_000;
    this.#log = options.log ?? logToStderr;
    this.#redacted = options.url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    const common = {
      lazyConnect: true,
      connectTimeout: this.#timeout,
      // Reconnect for ever, at most once a second, so service resumes when Redis is back.
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
    };
    this.#clients = import('ioredis').then(({ Redis }) => {
      const publisher = new Redis(options.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: this.#timeout });
      // The subscriber queues SUBSCRIBEs while disconnected and restores its subscriptions on reconnect.
      const subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
      for (const client of [publisher, subscriber]) {
        // Without an 'error' listener ioredis would emit an uncaught error and end the process.
        client.on('error', (error: Error) => this.#outage(error));
        client.on('ready', () => this.#recovered());
        client.connect().catch(() => undefined);
      }
      subscriber.on('message', (channel: string, payload: string) => {
        if (channel.startsWith(this.#prefix)) this.groups.deliver(channel.slice(this.#prefix.length), payload);
      });
      return { publisher, subscriber };
    });
  }

  async groupAdd(group: string, member: GroupMember): Promise<void> {
    this.checkUsable(group);
    if (this.groups.add(group, member, () => this.#unsubscribe(group))) await this.#bounded((await this.#clients).subscriber.subscribe(this.#prefix + group), `subscribe to group '${group}'`);
  }

  async groupDiscard(group: string, member: GroupMember): Promise<void> {
    if (this.groups.remove(group, member)) await this.#unsubscribe(group);
  }

  async groupSend(group: string, message: unknown): Promise<boolean> {
    this.checkUsable(group);
    const payload = serializeMessage(group, message);
    try {
      await (await this.#clients).publisher.publish(this.#prefix + group, payload);
      return true;
    } catch (error) {
      this.#log(`Channel layer: could not send to group '${group}' through Redis at ${this.#redacted}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.groups.clear();
    const { publisher, subscriber } = await this.#clients;
    await Promise.all([publisher, subscriber].map((client) => quit(client, this.#timeout)));
  }

  async #unsubscribe(group: string): Promise<void> {
    if (this.closed) return;
    await this.#bounded((await this.#clients).subscriber.unsubscribe(this.#prefix + group), `unsubscribe from group '${group}'`);
  }

  /** Wait for a subscriber command at most `timeout` ms; during an outage it stays queued and runs on reconnect. */
  async #bounded(command: Promise<unknown>, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#timeout)));
    try {
      const result = await Promise.race([command.then(() => 'ok' as const, (error: unknown) => error), gaveUp]);
      if (result === 'timeout') this.#log(`Channel layer: Redis at ${this.#redacted} did not confirm the ${what} within ${this.#timeout} ms; it will apply once Redis answers.`);
      else if (result !== 'ok') this.#log(`Channel layer: could not ${what}: ${result instanceof Error ? result.message : String(result)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  #outage(error: Error): void {
    if (this.#down || this.closed) return;
    this.#down = true;
    this.#log(`Channel layer: Redis at ${this.#redacted} is unreachable (${error.message}); reconnecting in the background.`);
  }

  #recovered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#log(`Channel layer: Redis at ${this.#redacted} is reachable again.`);
  }
}

/** QUIT, or drop the socket when Redis does not answer in time; never throws. */
async function quit(client: Redis, timeout: number): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const timer = setTimeout(() => client.disconnect(), timeout);
  try {
    await client.quit();
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
