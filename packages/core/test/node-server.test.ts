import { describe, expect, it, vi } from 'vitest';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createApplication } from '../src/app/create-application.js';
import { serve } from '../src/server/node-server.js';
import { NodeRequestSource } from '../src/server/node-request-source.js';
import { HttpRequest } from '../src/http/request.js';
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

describe('slow clients', () => {
  it('answers 408 and closes a connection whose headers never finish, soon after headersTimeout (not 30 s later)', async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'], SERVER: { headersTimeout: 600, requestTimeout: 5_000 } },
      routes: [path('hello/', () => text('hi'))],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      const started = Date.now();
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1');
        let data = '';
        const drip = setInterval(() => socket.writable && socket.write(`X-Slow: ${Date.now()}\r\n`), 100);
        socket.on('connect', () => socket.write('GET /hello/ HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
        socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(data);
        });
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await get(`${server.url}/hello/`)).body).toBe('hi');
    } finally {
      await server.close();
    }
  });
});

/** Poll `condition` every 2 ms, failing after `ms`. */
async function until(condition: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Send raw bytes on a new connection and collect everything until the server closes it. */
function rawExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}

describe('node:http adapter internals', () => {
  it('writes each stored header once, in store order, with repeated values as separate lines', async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'], MIDDLEWARE: [] },
      routes: [
        path('cookies/', () => {
          const res = text('ok');
          res.headers.set('X-One', '1');
          res.headers.append('vary', 'Accept');
          res.headers.append('Vary', 'Cookie');
          res.setCookie('a', '1');
          res.setCookie('b', '2');
          return res;
        }),
      ],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      const head = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1');
        let data = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => {
          data += chunk;
          if (data.includes('\r\n\r\nok')) {
            socket.destroy();
            resolve(data.slice(0, data.indexOf('\r\n\r\n')));
          }
        });
        socket.on('error', reject);
        socket.write('GET /cookies/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      });
      const lines = head.split('\r\n').slice(1).filter((line) => !line.startsWith('Date: ') && !line.startsWith('Keep-Alive: ') && !line.startsWith('Connection: '));
      expect(lines).toEqual([
        'content-type: text/plain; charset=utf-8',
        'x-one: 1',
        'vary: Accept',
        'vary: Cookie',
        'set-cookie: a=1; Path=/',
        'set-cookie: b=2; Path=/',
        'content-length: 2',
      ]);
    } finally {
      await server.close();
    }
  });

  it('answers 500 and keeps serving when node refuses a header the view set', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] },
      routes: [
        path('bad-name/', () => {
          const res = text('x');
          res.headers.set('bad header name', 'v');
          return res;
        }),
        path('bad-value/', () => {
          const res = text('x');
          res.headers.set('x-control', 'a\u0000b');
          return res;
        }),
        path('hello/', () => text('hi')),
      ],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      expect((await get(`${server.url}/bad-name/`)).status).toBe(500);
      expect((await get(`${server.url}/bad-value/`)).status).toBe(500);
      expect((await get(`${server.url}/hello/`)).body).toBe('hi');
      expect(server.inFlight).toBe(0);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('Could not send the response to GET "/bad-name/"');
    } finally {
      stderr.mockRestore();
      await server.close();
    }
  });

  it('counts a streamed response in flight until it ends, and a request whose client left until its view returns', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let releaseView!: () => void;
    const viewGate = new Promise<void>((r) => (releaseView = r));
    let viewDone = false;
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] },
      routes: [
        path('stream/', () =>
          stream(
            (async function* () {
              yield 'first;';
              await gate;
              yield 'last';
            })(),
          ),
        ),
        path('slow/', async () => {
          await viewGate;
          viewDone = true;
          return text('late');
        }),
      ],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      const streamed = get(`${server.url}/stream/`);
      await until(() => server.inFlight === 1);
      await new Promise((r) => setTimeout(r, 10));
      expect(server.inFlight).toBe(1);
      release();
      expect((await streamed).body).toBe('first;last');
      await until(() => server.inFlight === 0);

      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /slow/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      await until(() => server.inFlight === 1);
      socket.destroy();
      await new Promise((r) => setTimeout(r, 10));
      expect(server.inFlight).toBe(1);
      releaseView();
      await until(() => viewDone && server.inFlight === 0);
    } finally {
      release();
      releaseView();
      await server.close();
    }
  });

  /**
   * A 24 MB response to a client that reads nothing for a while, so the
   * response sits in the kernel's and node's buffers when the server closes;
   * `endedFirst`: the view answers before close() starts (the response is
   * then ended, and node counts the connection idle while it still sends).
   */
  async function slowReaderAtShutdown(endedFirst: boolean, drainIdleGraceMs: number): Promise<{ head: string; received: number; size: number }> {
    const size = 24 * 1024 * 1024;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] },
      routes: [
        path('big/', async () => {
          await gate;
          return text('x'.repeat(size));
        }),
      ],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0, drainIdleGraceMs });
    let head = '';
    let received = 0;
    const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /big/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    const done = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      if (!head.includes('\r\n\r\n')) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end !== -1) received = Buffer.byteLength(head, 'latin1') - end - 4;
      } else received += chunk.length;
    });
    await until(() => server.inFlight === 1);
    // Read nothing for a while: the response fills the kernel's buffers, then node's.
    socket.pause();
    let closing: Promise<void>;
    if (endedFirst) {
      release();
      await until(() => server.inFlight === 0);
      closing = server.close(5_000);
    } else {
      closing = server.close(5_000);
      release();
      await until(() => server.inFlight === 0);
    }
    await new Promise((r) => setTimeout(r, 30 + drainIdleGraceMs));
    socket.resume();
    await closing;
    await done;
    return { head, received, size };
  }

  it('lets a large response that was in flight at shutdown reach a slow reader before connections are cut', async () => {
    const { head, received, size } = await slowReaderAtShutdown(false, 0);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head.toLowerCase()).toContain(`content-length: ${size}`);
    expect(head.toLowerCase()).toContain('connection: close');
    expect(received).toBe(size);
  });

  it('does not cut a response already ended but still reaching a slow reader when idle connections close (drain grace as manage serve sets)', async () => {
    const { head, received, size } = await slowReaderAtShutdown(true, 100);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(received).toBe(size);
  });

  it('NodeRequestSource reads method, URL, headers, body, peer and TLS from the IncomingMessage', async () => {
    const sources: NodeRequestSource[] = [];
    const messages: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      sources.push(new NodeRequestSource(req));
      messages.push(req);
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      for (const method of ['GET', 'HEAD', 'POST']) {
        await rawExchange(port, `${method} /p?q=1 HTTP/1.1\r\nHost: h.example\r\nX-Dup: 1\r\nx-dup: 2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      }
      expect(sources.map((s) => [s.method, s.url, s.remoteAddress, s.encrypted])).toEqual([
        ['GET', '/p?q=1', '127.0.0.1', false],
        ['HEAD', '/p?q=1', '127.0.0.1', false],
        ['POST', '/p?q=1', '127.0.0.1', false],
      ]);
      expect(sources.map((s) => s.body)).toEqual([null, null, messages[2]]);
      expect(sources[0]!.headers).toBe(messages[0]!.headers);
      expect(new HttpRequest(sources[0]!).header('X-DUP')).toBe('1, 2');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('health probes', () => {
  it('answer their paths (and only those) ahead of the application, including paths of one character after the slash', async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'], SERVER: { healthPath: '/h', readyPath: '/readyz' } },
      routes: [path('hx/', () => text('view hx')), path('ready/', () => text('view ready')), path('plain/', () => text('view plain'))],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      expect(await get(`${server.url}/h`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
      expect(await get(`${server.url}/h?probe=1`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
      expect(await get(`${server.url}/readyz`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
      // Same first character as a probe, but another path: the application answers.
      expect(await get(`${server.url}/hx/`)).toMatchObject({ status: 200, body: 'view hx' });
      expect(await get(`${server.url}/ready/`)).toMatchObject({ status: 200, body: 'view ready' });
      expect(await get(`${server.url}/plain/`)).toMatchObject({ status: 200, body: 'view plain' });
    } finally {
      await server.close();
    }
  });

  it('with only the readiness probe on, answers it and leaves the rest (the default health path too) to the application', async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'], SERVER: { healthPath: null, readyPath: '/r' } },
      routes: [path('rx/', () => text('view rx')), path('healthz', () => text('view healthz'))],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      expect(await get(`${server.url}/r`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
      expect(await get(`${server.url}/rx/`)).toMatchObject({ status: 200, body: 'view rx' });
      expect(await get(`${server.url}/healthz`)).toMatchObject({ status: 200, body: 'view healthz' });
      expect((await get(`${server.url}/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("with '/' as a probe path, answers '/' and leaves every other path to the application", async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'], SERVER: { healthPath: '/', readyPath: null } },
      routes: [path('page/', () => text('page'))],
      templates: null,
      env: {},
    });
    const server = await serve(app, { port: 0 });
    try {
      expect(await get(`${server.url}/`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
      expect(await get(`${server.url}/page/`)).toMatchObject({ status: 200, body: 'page' });
      expect((await get(`${server.url}/readyz`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
