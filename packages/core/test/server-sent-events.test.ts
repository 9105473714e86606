import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { createApplication } from '../src/app/create-application.js';
import { serve, type RunningServer } from '../src/server/node-server.js';
import { path } from '../src/routing/index.js';
import { formatEvent, lastEventId, sse } from '../src/realtime/server-sent-events.js';

const SECRET = 's'.repeat(50);
const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close(2000)));
});

async function start(routes: Parameters<typeof createApplication>[0]['routes']) {
  const app = await createApplication({ settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['127.0.0.1'] }, routes, templates: null, env: {} });
  const server = await serve(app, { port: 0 });
  running.push(server);
  return server;
}

/** Open a stream and collect its text; `until` decides when enough arrived. */
function read(url: string, until: (text: string) => boolean, headers: Record<string, string> = {}): Promise<{ text: string; res: IncomingMessage; req: ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      let text = '';
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve({ text, res, req });
      };
      res.on('data', (c: Buffer) => {
        text += String(c);
        if (until(text)) finish();
      });
      res.on('end', finish);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Server-Sent Events', () => {
  it('formats event, id, retry and multi-line data; strips line breaks from fields', () => {
    expect(formatEvent({ event: 'tick', id: '7', retry: 1000, data: 'a\nb' })).toBe('event: tick\nid: 7\nretry: 1000\ndata: a\ndata: b\n\n');
    expect(formatEvent({ data: { n: 1 } })).toBe('data: {"n":1}\n\n');
    expect(formatEvent('plain')).toBe('data: plain\n\n');
    expect(formatEvent({ event: 'x\r\ndata: injected', data: '' })).toBe('event: x  data: injected\ndata: \n\n');
  });

  it('streams events from an async iterable with the event-stream headers', async () => {
    const server = await start([
      path('events/', (request) =>
        sse(
          (async function* () {
            const from = Number(lastEventId(request) ?? 0);
            for (let i = from + 1; i <= from + 3; i++) yield { event: 'tick', id: String(i), data: { i } };
          })(),
          { retry: 2000 },
        ),
      ),
    ]);
    const { text, res } = await read(`${server.url}/events/`, () => false, { 'last-event-id': '10' });
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(text).toBe('retry: 2000\n\n' + [11, 12, 13].map((i) => `event: tick\nid: ${i}\ndata: {"i":${i}}\n\n`).join(''));
  });

  it('sends heartbeat comments while the source is idle', async () => {
    const server = await start([path('idle/', () => sse((signal) => waitForAbort(signal), { heartbeat: 20 }))]);
    const { text, req } = await read(`${server.url}/idle/`, (t) => t.split(': heartbeat').length > 2);
    req.destroy();
    expect(text.startsWith(': stream open\n\n: heartbeat\n\n')).toBe(true);
  });

  it('releases the source when the client disconnects, even while it waits for an event', async () => {
    let aborted = false;
    let finalized = false;
    const server = await start([
      path('live/', () =>
        sse((signal) =>
          (async function* () {
            signal.addEventListener('abort', () => (aborted = true));
            try {
              yield { data: 'first' };
              await waitForAbortPromise(signal);
            } finally {
              finalized = true;
            }
          })(),
        { heartbeat: 0 }),
      ),
    ]);
    const { text, req } = await read(`${server.url}/live/`, (t) => t.includes('data: first'));
    expect(text).toContain('data: first');
    req.destroy();
    await until(() => aborted && finalized);
    expect(server.inFlight).toBe(0);
  });

  it('ends open streams at graceful shutdown instead of waiting for the grace time', async () => {
    const server = await start([path('forever/', () => sse((signal) => waitForAbort(signal), { heartbeat: 0 }))]);
    const reading = read(`${server.url}/forever/`, () => false);
    await until(() => server.inFlight === 1);
    const started = Date.now();
    await server.close(5000);
    running.splice(0);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await reading).text).toBe(': stream open\n\n');
  });
});

async function* waitForAbort(signal: AbortSignal): AsyncGenerator<string> {
  await waitForAbortPromise(signal);
}

function waitForAbortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
