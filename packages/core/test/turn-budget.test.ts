import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApplication } from '../src/app/create-application.js';
import { text } from '../src/http/response.js';
import { path } from '../src/routing/index.js';
import { serve, type RunningServer } from '../src/server/node-server.js';
import { TurnBudget } from '../src/server/turn-budget.js';

/** Keep the CPU busy for `ms`, as a synchronous view (a big template, a SQLite query) does. */
function burn(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TurnBudget', () => {
  it('runs a task at once while the turn has budget left and nothing waits', () => {
    const turns = new TurnBudget(50);
    const ran: string[] = [];
    turns.run((a: string, b: number, c: boolean) => ran.push(`${a} ${b} ${c}`), 'one', 1, true);
    expect(ran).toEqual(['one 1 true']);
    expect(turns.waiting).toBe(0);
  });

  it('keeps tasks past the budget for the end of the turn and later turns, in arrival order', async () => {
    const turns = new TurnBudget(2);
    const ran: number[] = [];
    const task = (n: number) => {
      ran.push(n);
      burn(3);
    };
    for (let n = 1; n <= 4; n++) turns.run(task, n, undefined, undefined);
    // The first spent the budget; the others wait, even though this is still the same turn.
    expect(ran).toEqual([1]);
    expect(turns.waiting).toBe(3);
    await nextTurn();
    // The turn's budget was spent, so its end left them for the next turns.
    expect(ran).toEqual([1]);
    // One arriving now queues behind those still waiting.
    turns.run(task, 5, undefined, undefined);
    expect(ran).toEqual([1]);
    for (let i = 0; i < 10 && turns.waiting > 0; i++) await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4, 5]);
    expect(turns.waiting).toBe(0);
    // With nothing waiting, a new turn runs a task at once again.
    await nextTurn();
    turns.run(task, 6, undefined, undefined);
    expect(ran).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('serve() under load', () => {
  let server: RunningServer | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.length = 0;
    await server?.close(1_000);
    server = undefined;
  });

  /** A keep-alive client that sends its next request as soon as a response is in, counting the responses. */
  function client(port: number, onResponse: () => void): Socket {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let buffered = '';
    const send = () => socket.write('GET /busy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    socket.on('connect', send);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\nok'); end >= 0; end = buffered.indexOf('\r\n\r\nok')) {
        buffered = buffered.slice(end + 6);
        onResponse();
        if (!socket.destroyed) send();
      }
    });
    socket.on('error', () => undefined);
    return socket;
  }

  /** Busy responses sent while 12 new connections, opened at once, waited for their first response. */
  async function burst(turnBudget: number | undefined): Promise<number> {
    // Each request costs 4 ms of CPU, so a turn serving 16 busy connections took 64 ms,
    // and libuv accepts one connection per turn (issue #10: p99 of hundreds of ms).
    const app = await createApplication({
      settings: { SECRET_KEY: 's'.repeat(50), ALLOWED_HOSTS: ['127.0.0.1'], MIDDLEWARE: [], ...(turnBudget === undefined ? {} : { SERVER: { turnBudget } }) },
      routes: [
        path('busy', () => {
          burn(4);
          return text('ok');
        }),
      ],
    });
    server = await serve(app, { host: '127.0.0.1', port: 0 });
    const port = (server.server.address() as AddressInfo).port;
    let busyResponses = 0;
    for (let i = 0; i < 16; i++) client(port, () => busyResponses++);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (busyResponses >= 64) resolve(clearInterval(check));
      }, 5);
    });

    const startedAt = busyResponses;
    const answered = new Set<number>();
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 12; i++) {
        const socket = client(port, () => {
          answered.add(i);
          socket.destroy();
          if (answered.size === 12) resolve();
        });
      }
    });
    return busyResponses - startedAt;
  }

  it('accepts a burst of new connections while busy ones keep it loaded, instead of one per turn of the loop', async () => {
    // Accepting one connection per turn of 16 busy requests, 112 busy responses went by before the last
    // of the 12 was answered; with turns of about 2 ms (the default), 28: mostly the requests queued ahead of it.
    expect(await burst(undefined)).toBeLessThan(60);
  }, 60_000);

  it('starts every request it read at once with SERVER.turnBudget 0, as node does', async () => {
    expect(await burst(0)).toBeGreaterThan(60);
  }, 60_000);
});
