import type { Transporter } from 'nodemailer';
import type { EmailBackend } from '../email-backend.js';
import type { EmailMessage } from '../email-message.js';
import { toNodemailer } from '../render-message.js';

export interface SmtpEmailBackendOptions {
  host: string;
  port: number;
  user?: string;
  password?: string;
  /** STARTTLS required (port 587). */
  useTls?: boolean;
  /** TLS from the first byte (port 465). */
  useSsl?: boolean;
  /** Seconds for connecting, the greeting and each command. */
  timeout?: number;
}

/**
 * Sends through an SMTP server with nodemailer, over one pooled
 * connection. Timeouts are always finite, so a dead mail server cannot hang
 * a request.
 * @example new SmtpEmailBackend({ host: 'smtp.example.com', port: 587, user: 'app', password: process.env.SMTP_PASSWORD, useTls: true })
 */
export class SmtpEmailBackend implements EmailBackend {
  readonly name = 'smtp';
  readonly #options: SmtpEmailBackendOptions;
  /** Made at the first send, so a process that sends no mail never loads nodemailer. */
  #transport: Promise<Transporter> | null = null;

  constructor(options: SmtpEmailBackendOptions) {
    this.#options = options;
  }

  #connect(): Promise<Transporter> {
    const options = this.#options;
    const ms = (options.timeout ?? 10) * 1000;
    return (this.#transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.useSsl ?? false,
      requireTLS: options.useTls ?? false,
      // Without TLS asked for, do not upgrade opportunistically to a certificate we may not be able to verify.
      ignoreTLS: !(options.useTls ?? false) && !(options.useSsl ?? false),
      ...(options.user ? { auth: { user: options.user, pass: options.password ?? '' } } : {}),
      connectionTimeout: ms,
      greetingTimeout: ms,
      socketTimeout: ms,
    })));
  }

  async send(messages: readonly EmailMessage[]): Promise<number> {
    let sent = 0;
    const transport = await this.#connect();
    for (const message of messages) {
      await transport.sendMail(toNodemailer(message));
      sent++;
    }
    return sent;
  }

  async close(): Promise<void> {
    const transport = this.#transport;
    this.#transport = null;
    if (transport !== null) (await transport).close();
  }
}
