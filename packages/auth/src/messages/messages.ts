import { Message, MESSAGE_LEVELS, type MessageLevel } from './message.js';

/**
 * The flash messages of one request (`request.state.messages`): the ones
 * stored by earlier requests plus those added now. Iterating shows them and
 * marks them used, so they are not shown again; messages nobody iterated
 * are kept for the next request (a redirect after POST). Templates iterate
 * it directly: `{% for m in messages %}<p class="{{ m.tags }}">{{ m.text }}</p>{% endfor %}`.
 * @example request.state.messages!.success('Profile saved.'); return redirect('/profile/');
 */
export class Messages implements Iterable<Message> {
  /** Nunjucks' `length` filter reads `.length` only for non-plain objects. */
  readonly [Symbol.toStringTag] = 'Messages';
  readonly #loaded: Message[];
  #queued: Message[] = [];
  #used = false;
  #added = false;
  readonly #minimum: number;

  constructor(loaded: readonly Message[], minimumLevel: MessageLevel = 'info') {
    this.#loaded = [...loaded];
    this.#minimum = MESSAGE_LEVELS.indexOf(minimumLevel);
  }

  /** Queue a message; below MESSAGE_LEVEL it is dropped. Returns whether it was kept. */
  add(level: MessageLevel, text: string, extraTags = ''): boolean {
    if (MESSAGE_LEVELS.indexOf(level) < this.#minimum) return false;
    this.#queued.push(new Message(level, text, extraTags));
    this.#added = true;
    return true;
  }

  debug(text: string, extraTags?: string): boolean {
    return this.add('debug', text, extraTags);
  }
  info(text: string, extraTags?: string): boolean {
    return this.add('info', text, extraTags);
  }
  success(text: string, extraTags?: string): boolean {
    return this.add('success', text, extraTags);
  }
  warning(text: string, extraTags?: string): boolean {
    return this.add('warning', text, extraTags);
  }
  error(text: string, extraTags?: string): boolean {
    return this.add('error', text, extraTags);
  }

  /** Shown and marked used: the messages will not be stored for the next request. */
  *[Symbol.iterator](): Iterator<Message> {
    this.#used = true;
    if (this.#queued.length > 0) {
      this.#loaded.push(...this.#queued);
      this.#queued = [];
    }
    yield* [...this.#loaded];
  }

  /** How many messages are pending (without marking them used). */
  get length(): number {
    return this.#loaded.length + this.#queued.length;
  }

  /** Mark the messages used without showing them (Django's `storage.used = True`). */
  discard(): void {
    this.#used = true;
    this.#loaded.length = 0;
    this.#queued = [];
  }

  /** What storage must keep for the next request, and whether that differs from what it holds. */
  pending(): { messages: Message[]; changed: boolean } {
    if (this.#used) return { messages: [...this.#queued], changed: true };
    return { messages: [...this.#loaded, ...this.#queued], changed: this.#added };
  }
}
