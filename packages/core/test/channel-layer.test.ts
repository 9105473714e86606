import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { createApplication, type Application } from '../src/app/create-application.js';
import { serve, type RunningServer } from '../src/server/node-server.js';
import { websocket } from '../src/realtime/websocket-route.js';
import { channelLayer } from '../src/realtime/channels/channel-layers.js';
import { MemoryChannelLayer } from '../src/realtime/channels/memory-channel-layer.js';
import { RedisChannelLayer } from '../src/realtime/channels/redis-channel-layer.js';
import type { ChannelLayer } from '../src/realtime/channels/channel-layer.js';

const SECRET = 's'.repeat(50);
const REDIS = 'redis://127.0.0.1:6379/0';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A chat-like app: join `room.<slug>` on connect, broadcast each message to the room. */
async function chatServer(layers: Record<string, unknown>): Promise<{ app: Application; server: RunningServer; ws: string }> {
  const app = await createApplication({
    settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'], WEBSOCKET_ALLOW_MISSING_ORIGIN: true, CHANNEL_LAYERS: layers },
    routes: [
      websocket('room/<slug:room>/', async (request, socket, { room }) => {
        const layer = channelLayer(request.app);
        await layer.groupAdd(`room.${room}`, socket);
        await socket.json({ joined: room });
        for await (const message of socket) await layer.groupSend(`room.${room}`, { room, text: String(message) });
      }),
    ],
    templates: null,
    env: {},
  });
  const server = await serve(app, { port: 0 });
  cleanups.push(() => server.close(2000));
  return { app, server, ws: server.url.replace('http', 'ws') };
}

/** A client that has joined: resolves after the server's `joined` message. */
function join(url: string): Promise<{ socket: WebSocket; next(): Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const queue: unknown[] = [];
    const waiters: Array<(m: unknown) => void> = [];
    let joined = false;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as unknown;
      if (!joined) {
        joined = true;
        resolve({ socket, next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r))) });
        return;
      }
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    socket.on('error', reject);
    cleanups.push(async () => socket.close());
  });
}

describe('channel layer groups', () => {
  it('routes group messages to the sockets of that group only (memory backend)', async () => {
    const { ws } = await chatServer({ default: { BACKEND: 'memory' } });
    const ann = await join(`${ws}/room/lobby/`);
    const bob = await join(`${ws}/room/lobby/`);
    const eve = await join(`${ws}/room/other/`);
    ann.socket.send('hello lobby');
    expect(await ann.next()).toEqual({ room: 'lobby', text: 'hello lobby' });
    expect(await bob.next()).toEqual({ room: 'lobby', text: 'hello lobby' });
    eve.socket.send('hello other');
    expect(await eve.next()).toEqual({ room: 'other', text: 'hello other' });
  });

  it('drops a socket from its groups when it closes, and validates names and messages', async () => {
    const layer = new MemoryChannelLayer();
    const got: unknown[] = [];
    await layer.groupAdd('g', (m) => got.push(m));
    expect(await layer.groupSend('g', { a: 1 })).toBe(true);
    expect(got).toEqual([{ a: 1 }]);
    await expect(layer.groupAdd('bad name!', () => undefined)).rejects.toMatchObject({ code: 'E_INVALID_GROUP_NAME' });
    await expect(layer.groupSend('g', () => 1)).rejects.toMatchObject({ code: 'E_INVALID_CHANNEL_MESSAGE' });
    const { app, ws } = await chatServer({ default: { BACKEND: 'memory' } });
    const client = await join(`${ws}/room/lobby/`);
    expect(channelLayer(app.context).localMembers('room.lobby')).toBe(1);
    client.socket.close();
    await until(() => channelLayer(app.context).localMembers('room.lobby') === 0);
  });

  it('subscribe() yields group messages until the signal aborts', async () => {
    const layer = new MemoryChannelLayer();
    const controller = new AbortController();
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const message of layer.subscribe('news', controller.signal)) seen.push(message);
    })();
    await until(() => layer.localMembers('news') === 1);
    await layer.groupSend('news', 'one');
    await layer.groupSend('news', 'two');
    await until(() => seen.length === 2);
    controller.abort();
    await reading;
    expect(seen).toEqual(['one', 'two']);
    expect(layer.localMembers('news')).toBe(0);
  });
});

describe('Redis channel layer (real server)', () => {
  it('delivers a message sent through one connection to members of another', async () => {
    const prefix = `atrium-test:${randomUUID()}:`;
    const a = track(new RedisChannelLayer({ url: REDIS, prefix }));
    const b = track(new RedisChannelLayer({ url: REDIS, prefix }));
    const got: unknown[] = [];
    const member = (message: unknown): void => void got.push(message);
    await b.groupAdd('news', member);
    expect(await a.groupSend('news', { headline: 'hi' })).toBe(true);
    await until(() => got.length === 1);
    expect(got).toEqual([{ headline: 'hi' }]);
    // Once the last local member leaves, b unsubscribes; a marker group shows later messages went through.
    await b.groupDiscard('news', member);
    const marker: unknown[] = [];
    await b.groupAdd('marker', (m) => void marker.push(m));
    await a.groupSend('news', 'after discard');
    await a.groupSend('marker', 'done');
    await until(() => marker.length === 1);
    expect(got).toEqual([{ headline: 'hi' }]);
  });

  it('broadcasts across two servers: a socket on one receives what a socket on the other sent', async () => {
    const layers = { default: { BACKEND: 'redis', LOCATION: REDIS, OPTIONS: { prefix: `atrium-test:${randomUUID()}:` } } };
    const one = await chatServer(layers);
    const two = await chatServer(layers);
    const ann = await join(`${one.ws}/room/lobby/`);
    const bob = await join(`${two.ws}/room/lobby/`);
    bob.socket.send('from server two');
    expect(await ann.next()).toEqual({ room: 'lobby', text: 'from server two' });
    expect(await bob.next()).toEqual({ room: 'lobby', text: 'from server two' });
    ann.socket.send('from server one');
    expect(await bob.next()).toEqual({ room: 'lobby', text: 'from server one' });
  });

  it('survives an unreachable Redis: logs, groupSend answers false, nothing throws', async () => {
    const lines: string[] = [];
    const layer = track(new RedisChannelLayer({ url: 'redis://127.0.0.1:1/0', timeout: 200, log: (line) => lines.push(line) }));
    await layer.groupAdd('news', () => undefined);
    expect(await layer.groupSend('news', 'lost')).toBe(false);
    expect(lines.some((l) => l.includes('unreachable'))).toBe(true);
    expect(lines.some((l) => l.includes("could not send to group 'news'"))).toBe(true);
  });
});

function track<T extends ChannelLayer>(layer: T): T {
  cleanups.push(() => layer.close());
  return layer;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
