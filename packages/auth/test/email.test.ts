import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConsoleEmailBackend,
  EmailError,
  FileEmailBackend,
  MemoryEmailBackend,
  SmtpEmailBackend,
  emailBackend,
  outbox,
  sendMail,
  type EmailBackend,
  type EmailMessage,
} from '../src/index.js';
import { authApplication } from './fixtures.js';
import { startFakeSmtpServer } from './fake-smtp-server.js';

interface BackendHarness {
  backend: EmailBackend;
  /** What the backend delivered, as text, one entry per message. */
  delivered(): string[];
  close(): Promise<void>;
}

const message: EmailMessage = {
  subject: 'Reset your password ✓',
  body: 'Follow this link: https://example.com/reset/abc/',
  html: '<p>Follow <a href="https://example.com/reset/abc/">this link</a></p>',
  from: 'Site <noreply@example.com>',
  to: ['ada@example.com'],
  cc: ['cc@example.com'],
  bcc: ['audit@example.com'],
  attachments: [{ filename: 'note.txt', content: 'attached text', contentType: 'text/plain' }],
};

/** The same contract for every e-mail backend. */
function emailBackendConformance(name: string, make: () => Promise<BackendHarness>): void {
  describe(`e-mail backend conformance: ${name}`, () => {
    it('delivers each message with its headers, text, HTML and attachment, and counts them', async () => {
      const h = await make();
      try {
        expect(await h.backend.send([message, { ...message, subject: 'Second' }])).toBe(2);
        const delivered = h.delivered();
        expect(delivered).toHaveLength(2);
        const first = delivered[0]!;
        expect(first).toMatch(/Reset your password|=\?UTF-8\?/);
        expect(first).toContain('ada@example.com');
        expect(first).toContain('cc@example.com');
        expect(first).toContain('https://example.com/reset/abc/');
        expect(first).toContain('note.txt');
        expect(delivered[1]).toContain('Second');
      } finally {
        await h.close();
      }
    });

    it('sends nothing for an empty batch', async () => {
      const h = await make();
      try {
        expect(await h.backend.send([])).toBe(0);
        expect(h.delivered()).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });
}

emailBackendConformance('memory', async () => {
  const box: EmailMessage[] = [];
  return {
    backend: new MemoryEmailBackend({ outbox: box }),
    delivered: () => box.map((m) => JSON.stringify(m)),
    close: async () => {},
  };
});

emailBackendConformance('console', async () => {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    backend: new ConsoleEmailBackend({ stream }),
    delivered: () => out.split(`${'-'.repeat(79)}\n`).filter(Boolean),
    close: async () => {},
  };
});

emailBackendConformance('file', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'atrium-mail-'));
  return {
    backend: new FileEmailBackend({ directory }),
    delivered: () => readdirSync(directory).sort().map((f) => readFileSync(join(directory, f), 'utf8')),
    close: async () => rmSync(directory, { recursive: true, force: true }),
  };
});

emailBackendConformance('smtp', async () => {
  const server = await startFakeSmtpServer();
  const backend = new SmtpEmailBackend({ host: '127.0.0.1', port: server.port, timeout: 2 });
  return {
    backend,
    delivered: () => server.received.map((m) => `RCPT ${m.to.join(',')}\n${m.data}`),
    close: async () => {
      await backend.close();
      await server.close();
    },
  };
});

describe('SMTP specifics', () => {
  it('puts every recipient (to, cc, bcc) on the envelope but not Bcc in the headers', async () => {
    const server = await startFakeSmtpServer();
    const backend = new SmtpEmailBackend({ host: '127.0.0.1', port: server.port, timeout: 2 });
    await backend.send([message]);
    const [mail] = server.received;
    expect(mail!.from).toBe('noreply@example.com');
    expect(mail!.to.sort()).toEqual(['ada@example.com', 'audit@example.com', 'cc@example.com']);
    expect(mail!.data).not.toMatch(/^bcc:/im);
    await backend.close();
    await server.close();
  });

  it('fails within the timeout when the server is unreachable', async () => {
    const backend = new SmtpEmailBackend({ host: '127.0.0.1', port: 1, timeout: 1 });
    const started = performance.now();
    await expect(backend.send([message])).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1500);
    await backend.close();
  });
});

describe('sendMail', () => {
  beforeEach(() => {
    outbox.length = 0;
  });
  const apps: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it("uses EMAIL_BACKEND and DEFAULT_FROM_EMAIL ('memory' fills the shared outbox)", async () => {
    const app = await authApplication([], { EMAIL_BACKEND: 'memory', DEFAULT_FROM_EMAIL: 'site@example.com' });
    apps.push(app);
    expect(await sendMail(app.context, { subject: 'Welcome', body: 'Hello Ada', to: ['ada@example.com'] })).toBe(1);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ subject: 'Welcome', from: 'site@example.com', to: ['ada@example.com'] });
    expect(emailBackend(app.context)).toBeInstanceOf(MemoryEmailBackend);
  });

  it('refuses header injection and missing recipients before sending', async () => {
    const app = await authApplication([], { EMAIL_BACKEND: 'memory' });
    apps.push(app);
    const injected = await sendMail(app.context, { subject: 'Hi\r\nBcc: victim@example.com', body: 'x', to: ['a@example.com'] }).catch((e: unknown) => e);
    expect(injected).toBeInstanceOf(EmailError);
    expect((injected as EmailError).code).toBe('E_EMAIL_BAD_HEADER');
    await expect(sendMail(app.context, { subject: 'x', body: 'x', to: ['a@example.com\nb@example.com'] })).rejects.toThrow(/line break/);
    await expect(sendMail(app.context, { subject: 'Lonely', body: 'x', to: [] })).rejects.toThrow(/'Lonely' has no recipients/);
    expect(outbox).toHaveLength(0);
  });

  it('wraps backend failures in EmailError, or returns 0 with failSilently', async () => {
    const app = await authApplication([], { EMAIL_BACKEND: 'smtp', EMAIL_HOST: '127.0.0.1', EMAIL_PORT: 1, EMAIL_TIMEOUT: 1 });
    apps.push(app);
    const error = await sendMail(app.context, { subject: 'S', body: 'B', to: ['a@example.com'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailError);
    expect((error as EmailError).code).toBe('E_EMAIL_SEND_FAILED');
    expect((error as Error).message).toMatch(/Sending 'S' with the smtp e-mail backend failed/);
    expect(await sendMail(app.context, { subject: 'S', body: 'B', to: ['a@example.com'] }, { failSilently: true })).toBe(0);
  });

  it("requires EMAIL_FILE_PATH for the 'file' backend and one of TLS/SSL", async () => {
    await expect(authApplication([], { EMAIL_BACKEND: 'file' })).rejects.toThrow(/EMAIL_FILE_PATH is missing/);
    await expect(authApplication([], { EMAIL_USE_TLS: true, EMAIL_USE_SSL: true })).rejects.toThrow(/EMAIL_USE_TLS and EMAIL_USE_SSL are both true/);
  });
});
