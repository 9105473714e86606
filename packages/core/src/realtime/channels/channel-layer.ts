import { RealtimeError } from '../../errors.js';
import { WebSocketConnection } from '../websocket-connection.js';

/** A group member: a WebSocket (messages are sent to it as JSON) or a function that receives them. */
export type GroupMember = WebSocketConnection | ((message: unknown) => void);

/**
 * Publish/subscribe groups, as in Django Channels: add sockets to named
 * groups, send a message to a group, and every member receives it — in
 * this process (memory backend) or in every process connected to the same
 * Redis (redis backend). Messages must be JSON values; members receive a
 * copy. A socket leaves its groups when it closes.
 * @example
 * const layer = channelLayer(request.app);
 * await layer.groupAdd(`chat.${room}`, socket);
 * await layer.groupSend(`chat.${room}`, { type: 'message', text: 'hi' });
 */
export interface ChannelLayer {
  /** Add `member` to `group`; resolves once messages sent to the group from anywhere will reach it. */
  groupAdd(group: string, member: GroupMember): Promise<void>;
  /** Remove `member` from `group` (nothing happens when it is not a member). */
  groupDiscard(group: string, member: GroupMember): Promise<void>;
  /** Deliver `message` to every member of `group`; false when the backend is unreachable (the failure is logged, never thrown). */
  groupSend(group: string, message: unknown): Promise<boolean>;
  /** Messages of `group` as an async iterable (for `sse()`), until `signal` aborts or the loop ends. */
  subscribe(group: string, signal?: AbortSignal): AsyncIterable<unknown>;
  /** Members of `group` in this process. */
  localMembers(group: string): number;
  /** Release connections; the layer cannot be used afterwards. */
  close(): Promise<void>;
}

const GROUP_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Throw unless `group` is a valid group name (ASCII letters, digits, '_', '.', '-'; at most 100 characters, as Channels). */
export function checkGroupName(group: string): void {
  if (typeof group !== 'string' || !GROUP_NAME.test(group)) {
    throw new RealtimeError(
      'E_INVALID_GROUP_NAME',
      `Group name ${JSON.stringify(group)} is invalid: use 1-100 ASCII letters, digits, '_', '.' or '-' (for a room slug, 'chat.' + slug).`,
    );
  }
}

/**
 * The members of each group in this process, and delivery to them. Both
 * backends keep one; the Redis one feeds it from its subscription.
 */
export class LocalGroups {
  readonly #groups = new Map<string, Set<GroupMember>>();
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  /** Add; true when the group had no local member before. */
  add(group: string, member: GroupMember, onEmpty: () => void): boolean {
    let members = this.#groups.get(group);
    const first = members === undefined;
    if (members === undefined) this.#groups.set(group, (members = new Set()));
    if (members.has(member)) return false;
    members.add(member);
    if (member instanceof WebSocketConnection) {
      member.onClose(() => {
        if (this.remove(group, member)) onEmpty();
      });
    }
    return first;
  }

  /** Remove; true when the group has no local member left. */
  remove(group: string, member: GroupMember): boolean {
    const members = this.#groups.get(group);
    if (members === undefined || !members.delete(member)) return false;
    if (members.size > 0) return false;
    this.#groups.delete(group);
    return true;
  }

  size(group: string): number {
    return this.#groups.get(group)?.size ?? 0;
  }

  groups(): string[] {
    return [...this.#groups.keys()];
  }

  /** Deliver a serialized message to the local members of `group`; one failing member does not stop the others. */
  deliver(group: string, payload: string): void {
    const members = this.#groups.get(group);
    if (members === undefined) return;
    for (const member of [...members]) {
      try {
        if (member instanceof WebSocketConnection) void member.send(payload);
        else member(JSON.parse(payload) as unknown);
      } catch (error) {
        this.#log(`Channel layer: a member of group '${group}' failed to take a message: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  clear(): void {
    this.#groups.clear();
  }
}

/** Serialize a group message once; it must be a JSON value. */
export function serializeMessage(group: string, message: unknown): string {
  const payload = JSON.stringify(message);
  if (payload === undefined) {
    throw new RealtimeError('E_INVALID_CHANNEL_MESSAGE', `groupSend('${group}', ...) needs a JSON value (object, array, string, number, boolean or null), got ${typeof message}.`);
  }
  return payload;
}

/**
 * The messages of a group as an async iterable, built on groupAdd with a
 * function member: leaving the loop or aborting `signal` discards it.
 */
export function subscription(layer: Pick<ChannelLayer, 'groupAdd' | 'groupDiscard'>, group: string, signal?: AbortSignal): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      const queue: unknown[] = [];
      let waiting: ((result: IteratorResult<unknown>) => void) | null = null;
      let done = false;
      const member = (message: unknown): void => {
        if (waiting !== null) {
          const wake = waiting;
          waiting = null;
          wake({ value: message, done: false });
        } else if (queue.length < 1000) queue.push(message);
      };
      const stop = (): IteratorResult<unknown> => {
        if (!done) {
          done = true;
          void layer.groupDiscard(group, member);
          waiting?.({ value: undefined, done: true });
          waiting = null;
        }
        return { value: undefined, done: true };
      };
      if (signal?.aborted) done = true;
      signal?.addEventListener('abort', stop, { once: true });
      const joined = done ? Promise.resolve() : layer.groupAdd(group, member);
      return {
        next: async () => {
          await joined;
          if (queue.length > 0) return { value: queue.shift(), done: false };
          if (done) return { value: undefined, done: true };
          return new Promise((resolve) => (waiting = resolve));
        },
        return: () => Promise.resolve(stop()),
      };
    },
  };
}

/** What both backends share: the local groups, subscribe(), and the closed state. */
export abstract class BaseChannelLayer implements ChannelLayer {
  protected readonly groups: LocalGroups;
  protected closed = false;

  constructor(log: (line: string) => void) {
    this.groups = new LocalGroups(log);
  }

  abstract groupAdd(group: string, member: GroupMember): Promise<void>;
  abstract groupDiscard(group: string, member: GroupMember): Promise<void>;
  abstract groupSend(group: string, message: unknown): Promise<boolean>;
  abstract close(): Promise<void>;

  subscribe(group: string, signal?: AbortSignal): AsyncIterable<unknown> {
    checkGroupName(group);
    return subscription(this, group, signal);
  }

  localMembers(group: string): number {
    return this.groups.size(group);
  }

  /** Throw unless `group` is a valid name and the layer is open. */
  protected checkUsable(group: string): void {
    checkGroupName(group);
    if (this.closed) throw new RealtimeError('E_CHANNEL_LAYER_CLOSED', 'This channel layer is closed (the application closed); get a new one with channelLayer(app).');
  }
}

/** The default log of channel layers: one line on stderr. */
export function logToStderr(line: string): void {
  process.stderr.write(`[atrium] ${line}\n`);
}
