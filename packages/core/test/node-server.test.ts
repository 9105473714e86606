import { describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { createApplication } from '../src/app/create-application.js';
import { serve } from '../src/server/node-server.js';
import { path } from '../src/routing/index.js';
import { text, stream } from '../src/http/response.js';

const SECRET = 's'.repeat(50);

function get(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('node:http adapter', () => {
  it('serves responses over a socket, HEAD without body, streams', async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] },
      routes: [
        path('hello/', () => text('Hello, World!')),
        path('stream/', () =>
          stream(
            (async function* () {
              yield 'a';
              yield 'b';
            })(),
            { contentType: 'text/plain' },
          ),
        ),
      ],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      const res = await get(`${server.url}/hello/`);
      expect(res.status).toBe(200);
      expect(res.body).toBe('Hello, World!');
      expect(res.headers['content-length']).toBe('13');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const head = await get(`${server.url}/hello/`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers['content-length']).toBe('13');
      expect((await get(`${server.url}/stream/`)).body).toBe('ab');
    } finally {
      await server.close();
    }
  });

  it('finishes an in-flight request on graceful shutdown and refuses new connections', async () => {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const begun = new Promise<void>((r) => (started = r));
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] },
      routes: [
        path('slow/', async () => {
          started();
          await gate;
          return text('done');
        }),
      ],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    const inflight = get(`${server.url}/slow/`);
    await begun;
    expect(server.inFlight).toBe(1);
    const closing = server.close(5_000);
    await new Promise((r) => setTimeout(r, 20));
    await expect(get(`${server.url}/slow/`)).rejects.toThrow();
    release();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(res.body).toBe('done');
    await closing;
    expect(server.server.listening).toBe(false);
  });

  it('answers malformed requests with 400 and keeps running', async () => {
    const { connect } = await import('node:net');
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] },
      routes: [path('hello/', () => text('hi'))],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT A REQUEST\r\n\r\n'));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 400/);
      expect((await get(`${server.url}/hello/`)).body).toBe('hi');
    } finally {
      await server.close();
    }
  });

  it('rejects oversized headers with 431', async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] },
      routes: [path('hello/', () => text('hi'))],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      const res = await get(`${server.url}/hello/`, { headers: { 'x-big': 'a'.repeat(20_000) } }).catch((e: Error) => e);
      if (res instanceof Error) throw res;
      expect(res.status).toBe(431);
    } finally {
      await server.close();
    }
  });
});
