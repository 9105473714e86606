import type { EmailMessage } from './email-message.js';

/**
 * Sends e-mail: SMTP in production, console or file in development, memory
 * in tests. One conformance suite checks every backend.
 */
export interface EmailBackend {
  readonly name: string;
  /** Send each message (its `from` already filled in); returns how many were sent. */
  send(messages: readonly EmailMessage[]): Promise<number>;
  close?(): Promise<void>;
}
