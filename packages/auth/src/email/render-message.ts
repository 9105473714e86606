import type { SendMailOptions, Transporter } from 'nodemailer';
import type { EmailMessage } from './email-message.js';

/**
 * Builds RFC 5322 text without sending: nodemailer's stream transport,
 * buffered. Made on the first message, so a process that sends no mail never
 * loads nodemailer.
 */
let composer: Promise<Transporter> | undefined;

/** The message in nodemailer's terms. */
export function toNodemailer(message: EmailMessage): SendMailOptions {
  return {
    from: message.from,
    to: [...message.to],
    ...(message.cc?.length ? { cc: [...message.cc] } : {}),
    ...(message.bcc?.length ? { bcc: [...message.bcc] } : {}),
    ...(message.replyTo?.length ? { replyTo: [...message.replyTo] } : {}),
    subject: message.subject,
    text: message.body,
    ...(message.html !== undefined ? { html: message.html } : {}),
    ...(message.headers ? { headers: { ...message.headers } } : {}),
    ...(message.attachments?.length
      ? {
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
            ...(a.contentType ? { contentType: a.contentType } : {}),
          })),
        }
      : {}),
  };
}

/**
 * The message as MIME text (headers, then the body parts), as an MTA would
 * receive it; Bcc is kept, as Django's console backend shows it.
 * @example console.log(await renderMessage({ subject: 'Hi', body: 'Hello', from: 'a@example.com', to: ['b@example.com'] }));
 */
export async function renderMessage(message: EmailMessage): Promise<string> {
  composer ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
  const info = await (await composer).sendMail(toNodemailer(message));
  return (info as { message: Buffer }).message.toString('utf8');
}
