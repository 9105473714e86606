import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { createApplication } from '../src/app/create-application.js';
import { serve, type RunningServer } from '../src/server/node-server.js';
import { path, include } from '../src/routing/index.js';
import { text } from '../src/http/response.js';
import { websocket } from '../src/realtime/websocket-route.js';
import type { WebSocketConnection } from '../src/realtime/websocket-connection.js';
import type { MiddlewareFactory } from '../src/middleware/types.js';

const SECRET = 's'.repeat(50);
const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close(2000)));
});

interface Opened {
  socket: WebSocket;
  messages: string[];
  next(): Promise<string>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Open a client socket; resolves once open, or rejects with the refused handshake's status. */
function open(url: string, headers: Record<string, string> = {}, origin: string | null = 'http://127.0.0.1'): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { ...(origin === null ? {} : { origin }), ...headers } });
    const messages: string[] = [];
    const waiters: Array<(m: string) => void> = [];
    socket.on('message', (data) => {
      const message = String(data);
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else messages.push(message);
    });
    const closed = new Promise<{ code: number; reason: string }>((r) => socket.on('close', (code, reason) => r({ code, reason: String(reason) })));
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body, headers: res.headers })));
    });
    socket.on('error', reject);
    socket.on('open', () =>
      resolve({
        socket,
        messages,
        closed,
        next: () => {
          const queued = messages.shift();
          return queued !== undefined ? Promise.resolve(queued) : new Promise((r) => waiters.push(r));
        },
      }),
    );
  });
}

async function start(routes: Parameters<typeof createApplication>[0]['routes'], settings: Record<string, unknown> = {}, middleware: unknown[] = ['security', 'common']) {
  const app = await createApplication({
    settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'], MIDDLEWARE: middleware as never, ...settings },
    routes,
    templates: null,
    env: {},
  });
  const server = await serve(app, { port: 0 });
  running.push(server);
  return { app, server, ws: server.url.replace('http', 'ws') };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const echo = async (_request: unknown, socket: WebSocketConnection, params: { room: string }) => {
  for await (const message of socket) await socket.json({ room: params.room, echo: String(message) });
};

describe('WebSocket routes', () => {
  it('routes through the same router: typed params, include prefixes, reverse()', async () => {
    const routes = [include('live/', [websocket('chat/<slug:room>/', echo, { name: 'chat' })], { namespace: 'live' }), path('', () => text('home'))];
    const { app, ws } = await start(routes);
    expect(app.context.reverse('live:chat', { room: 'lobby' })).toBe('/live/chat/lobby/');
    const client = await open(`${ws}/live/chat/lobby/`);
    client.socket.send('hello');
    expect(JSON.parse(await client.next())).toEqual({ room: 'lobby', echo: 'hello' });
    client.socket.close();
    expect((await client.closed).code).toBe(1005);
  });

  it('answers 404 for an unknown path and 426 for a plain GET', async () => {
    const { server, ws } = await start([websocket('chat/<slug:room>/', echo)]);
    await expect(open(`${ws}/nope/`)).rejects.toMatchObject({ status: 404 });
    const plain = await get(`${server.url}/chat/lobby/`);
    expect(plain.status).toBe(426);
    expect(plain.headers['upgrade']).toBe('websocket');
  });

  it('refuses a foreign Origin with 403 before the upgrade, and null or missing origins by default', async () => {
    let started = 0;
    const { ws } = await start([websocket('s/', () => void started++)], { ALLOWED_HOSTS: ['127.0.0.1', '.example.com'], WEBSOCKET_ALLOWED_ORIGINS: ['https://*.partner.test'] });
    await expect(open(`${ws}/s/`, {}, 'https://evil.test')).rejects.toMatchObject({ status: 403 });
    await expect(open(`${ws}/s/`, {}, 'null')).rejects.toMatchObject({ status: 403 });
    await expect(open(`${ws}/s/`, {}, null)).rejects.toMatchObject({ status: 403 });
    await expect(open(`${ws}/s/`, {}, 'https://example.com.evil.test')).rejects.toMatchObject({ status: 403 });
    await expect(open(`${ws}/s/`, {}, 'https://evil.test/https://app.example.com')).rejects.toMatchObject({ status: 403 });
    expect(started).toBe(0);
    for (const origin of ['http://127.0.0.1', 'https://app.example.com', 'https://a.partner.test']) {
      const client = await open(`${ws}/s/`, {}, origin);
      client.socket.close();
    }
    expect(started).toBe(3);
  });

  it('accepts a missing Origin when WEBSOCKET_ALLOW_MISSING_ORIGIN is on', async () => {
    const { ws } = await start([websocket('s/', (_r, socket) => void socket.send('hi'))], { WEBSOCKET_ALLOW_MISSING_ORIGIN: true });
    const client = await open(`${ws}/s/`, {}, null);
    expect(await client.next()).toBe('hi');
    client.socket.close();
  });

  it('runs the middleware chain for the handshake: request state, refusals and cookies', async () => {
    const gate: MiddlewareFactory = () => async (request, next) => {
      if (request.header('x-token') !== 'letmein') return text('no token', { status: 401 });
      (request.state as Record<string, unknown>)['who'] = 'ann';
      const response = await next(request);
      response.setCookie('seen', '1');
      return response;
    };
    const { ws } = await start([websocket('s/', (request, socket) => void socket.send(String((request.state as Record<string, unknown>)['who'])))], {}, ['security', 'common', gate]);
    await expect(open(`${ws}/s/`)).rejects.toMatchObject({ status: 401, body: 'no token' });
    const client = await open(`${ws}/s/`, { 'x-token': 'letmein' });
    expect(await client.next()).toBe('ann');
    client.socket.close();
    // The handshake's Set-Cookie travels with the 101.
    const cookies = await new Promise<string[]>((resolve, reject) => {
      const socket = new WebSocket(`${ws}/s/`, { headers: { origin: 'http://127.0.0.1', 'x-token': 'letmein' } });
      socket.on('upgrade', (res) => {
        resolve(res.headers['set-cookie'] ?? []);
        socket.close();
      });
      socket.on('error', reject);
    });
    expect(cookies.some((c) => c.startsWith('seen=1'))).toBe(true);
  });

  it('refuses a disallowed Host with 400, as for any request', async () => {
    const { ws } = await start([websocket('s/', () => undefined)]);
    await expect(open(`${ws}/s/`, { host: 'evil.test' })).rejects.toMatchObject({ status: 400 });
  });

  it('closes with 1009 when a message exceeds WEBSOCKET_MAX_MESSAGE_SIZE, and 1011 when the consumer throws', async () => {
    const { ws } = await start(
      [
        websocket('s/', echo as never),
        websocket('boom/', async (_request, socket) => {
          for await (const message of socket) throw new Error(`cannot handle ${String(message)}`);
        }),
      ],
      { WEBSOCKET_MAX_MESSAGE_SIZE: 1024 },
    );
    const client = await open(`${ws}/s/`);
    client.socket.send('x'.repeat(2048));
    expect((await client.closed).code).toBe(1009);
    const boom = await open(`${ws}/boom/`);
    boom.socket.send('ping');
    expect((await boom.closed).code).toBe(1011);
  });

  it('onMessage handles queued and later messages in order', async () => {
    const { ws } = await start([
      websocket('s/', async (_request, socket) => {
        await new Promise((r) => setTimeout(r, 30));
        socket.onMessage(async (message) => {
          await socket.send(`got ${String(message)}`);
        });
      }),
    ]);
    const client = await open(`${ws}/s/`);
    client.socket.send('1');
    client.socket.send('2');
    expect(await client.next()).toBe('got 1');
    expect(await client.next()).toBe('got 2');
    client.socket.send('3');
    expect(await client.next()).toBe('got 3');
    client.socket.close();
  });

  it('closes open sockets with 1001 on graceful shutdown and refuses new handshakes', async () => {
    const closedOnServer: number[] = [];
    const { server, ws } = await start([
      websocket('s/', (_request, socket) => {
        socket.onClose((event) => closedOnServer.push(event.code));
        void socket.send('ready');
      }),
    ]);
    const client = await open(`${ws}/s/`);
    expect(await client.next()).toBe('ready');
    await server.close(2000);
    running.splice(running.indexOf(server), 1);
    expect((await client.closed).code).toBe(1001);
    expect(closedOnServer).toEqual([1001]);
  });
});
