import type { EmailBackend } from '../email-backend.js';
import type { EmailMessage } from '../email-message.js';

/**
 * Every message sent with the 'memory' backend, in order (Django's
 * `mail.outbox`). Tests read it and empty it with `outbox.length = 0`.
 */
export const outbox: EmailMessage[] = [];

/**
 * Keeps messages in an array instead of sending them: for tests.
 * @example const backend = new MemoryEmailBackend(); await backend.send([message]); backend.outbox[0].subject;
 */
export class MemoryEmailBackend implements EmailBackend {
  readonly name = 'memory';
  readonly outbox: EmailMessage[];

  /** Messages go to the shared `outbox` unless another array is given. */
  constructor(options: { outbox?: EmailMessage[] } = {}) {
    this.outbox = options.outbox ?? outbox;
  }

  async send(messages: readonly EmailMessage[]): Promise<number> {
    // Copies, so a caller changing its message afterwards does not change what the test sees.
    for (const message of messages) this.outbox.push(structuredClone(message));
    return messages.length;
  }
}
