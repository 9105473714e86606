import type { EmailBackend } from '../email-backend.js';
import type { EmailMessage } from '../email-message.js';
import { renderMessage } from '../render-message.js';

/**
 * Writes each message to a stream (stdout by default) instead of sending it:
 * for development. Never use it in production: password-reset links would
 * end up in the logs.
 * @example new ConsoleEmailBackend({ stream: process.stderr })
 */
export class ConsoleEmailBackend implements EmailBackend {
  readonly name = 'console';
  readonly #stream: NodeJS.WritableStream;

  constructor(options: { stream?: NodeJS.WritableStream } = {}) {
    this.#stream = options.stream ?? process.stdout;
  }

  async send(messages: readonly EmailMessage[]): Promise<number> {
    for (const message of messages) {
      this.#stream.write(`${await renderMessage(message)}\n${'-'.repeat(79)}\n`);
    }
    return messages.length;
  }
}
