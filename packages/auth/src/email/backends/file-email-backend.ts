import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailBackend } from '../email-backend.js';
import type { EmailMessage } from '../email-message.js';
import { renderMessage } from '../render-message.js';

/**
 * Writes each message as an `.eml` file in a folder (EMAIL_FILE_PATH), for
 * development and for inspecting mail in a mail client.
 * @example new FileEmailBackend({ directory: 'tmp/mail' })
 */
export class FileEmailBackend implements EmailBackend {
  readonly name = 'file';
  readonly directory: string;

  constructor(options: { directory: string }) {
    this.directory = options.directory;
  }

  async send(messages: readonly EmailMessage[]): Promise<number> {
    await mkdir(this.directory, { recursive: true });
    for (const message of messages) {
      // Timestamp first so a folder listing is in sending order; random suffix so names never clash.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(join(this.directory, name), await renderMessage(message), { flag: 'wx' });
    }
    return messages.length;
  }
}
