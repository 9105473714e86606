import type { AppContext } from '@atrium/core';
import { EmailError } from '../errors.js';
import { authSettings } from '../settings.js';
import { ConsoleEmailBackend } from './backends/console-email-backend.js';
import { FileEmailBackend } from './backends/file-email-backend.js';
import { MemoryEmailBackend } from './backends/memory-email-backend.js';
import { SmtpEmailBackend } from './backends/smtp-email-backend.js';
import type { EmailBackend } from './email-backend.js';
import { assertSendable, type EmailMessage } from './email-message.js';

const byApp = new WeakMap<AppContext, EmailBackend>();

/**
 * The backend EMAIL_BACKEND selects, built once per application.
 * @example const backend = emailBackend(request.app);
 */
export function emailBackend(app: AppContext): EmailBackend {
  let backend = byApp.get(app);
  if (!backend) {
    const s = authSettings(app);
    switch (s.EMAIL_BACKEND) {
      case 'smtp':
        backend = new SmtpEmailBackend({
          host: s.EMAIL_HOST,
          port: s.EMAIL_PORT,
          user: s.EMAIL_HOST_USER,
          password: s.EMAIL_HOST_PASSWORD,
          useTls: s.EMAIL_USE_TLS,
          useSsl: s.EMAIL_USE_SSL,
          timeout: s.EMAIL_TIMEOUT,
        });
        break;
      case 'console':
        backend = new ConsoleEmailBackend();
        break;
      case 'file':
        backend = new FileEmailBackend({ directory: s.EMAIL_FILE_PATH! });
        break;
      case 'memory':
        backend = new MemoryEmailBackend();
        break;
    }
    byApp.set(app, backend);
  }
  return backend;
}

export interface SendMailOptions {
  /** Use this backend instead of EMAIL_BACKEND's. */
  backend?: EmailBackend;
  /** Return 0 instead of throwing when sending fails (Django's fail_silently). */
  failSilently?: boolean;
}

/**
 * Send one message through the project's backend, with DEFAULT_FROM_EMAIL
 * when it has no `from`. Returns 1 when sent. Header injection (a line break
 * in a header) and a missing recipient throw EmailError before anything is sent.
 * @example await sendMail(request.app, { subject: 'Welcome', body: `Hello ${name}`, to: [email] });
 */
export async function sendMail(app: AppContext, message: EmailMessage, options: SendMailOptions = {}): Promise<number> {
  const full: EmailMessage = { ...message, from: message.from ?? authSettings(app).DEFAULT_FROM_EMAIL };
  assertSendable(full);
  const backend = options.backend ?? emailBackend(app);
  try {
    return await backend.send([full]);
  } catch (cause) {
    if (options.failSilently) return 0;
    throw new EmailError(`Sending '${message.subject}' with the ${backend.name} e-mail backend failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      code: 'E_EMAIL_SEND_FAILED',
      cause,
    });
  }
}
