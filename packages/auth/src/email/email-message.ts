import { EmailError } from '../errors.js';

export interface EmailAttachment {
  filename: string;
  content: string | Uint8Array;
  contentType?: string;
}

/** One e-mail. `body` is the plain-text part; `html`, when given, is sent as the alternative. */
export interface EmailMessage {
  subject: string;
  body: string;
  html?: string;
  /** Defaults to DEFAULT_FROM_EMAIL. */
  from?: string;
  to: readonly string[];
  cc?: readonly string[];
  bcc?: readonly string[];
  replyTo?: readonly string[];
  headers?: Readonly<Record<string, string>>;
  attachments?: readonly EmailAttachment[];
}

/**
 * Refuse a message whose headers carry a line break (header injection: a
 * subject from a form must not add a Bcc) or that has no recipient.
 */
export function assertSendable(message: EmailMessage): void {
  const headerValues: Array<[string, string]> = [
    ['subject', message.subject],
    ...(message.from === undefined ? [] : [['from', message.from] as [string, string]]),
    ...[...message.to, ...(message.cc ?? []), ...(message.bcc ?? []), ...(message.replyTo ?? [])].map((address) => ['address', address] as [string, string]),
    ...Object.entries(message.headers ?? {}),
  ];
  for (const [name, value] of headerValues) {
    if (/[\r\n]/.test(value)) {
      throw new EmailError(`The e-mail ${name} ${JSON.stringify(value.slice(0, 60))} contains a line break; header values must be one line (a newline would let it inject headers).`, {
        code: 'E_EMAIL_BAD_HEADER',
      });
    }
  }
  if (message.to.length + (message.cc?.length ?? 0) + (message.bcc?.length ?? 0) === 0) {
    throw new EmailError(`The e-mail '${message.subject}' has no recipients; give at least one address in to, cc or bcc.`, { code: 'E_EMAIL_NO_RECIPIENTS' });
  }
}
