import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serve, websocket, type Application, type RunningServer } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { createUser, getUser } from '../src/index.js';
import { logIn } from './support/browser.js';
import { forEachDatabase } from './support/databases.js';
import { authTables, siteApplication } from './support/site.js';

/** Says who the handshake's session belongs to, then echoes with the name. */
const whoami = websocket('ws/whoami/', async (request, socket) => {
  const user = await getUser(request);
  await socket.json({ authenticated: user.isAuthenticated, username: user.getUsername() });
  for await (const message of socket) await socket.send(`${user.getUsername() || 'anonymous'}: ${String(message)}`);
});

/** A consumer that refuses anonymous users with an application close code. */
const members = websocket('ws/members/', async (request, socket) => {
  const user = await getUser(request);
  if (!user.isAuthenticated) {
    socket.close(4401, 'Log in first');
    return;
  }
  await socket.send(`welcome ${user.getUsername()}`);
});

function connect(url: string, headers: Record<string, string>): Promise<{ first: Promise<string>; socket: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const first = new Promise<string>((r) => socket.once('message', (data) => r(String(data))));
    const closed = new Promise<number>((r) => socket.on('close', (code) => r(code)));
    socket.on('open', () => resolve({ socket, first, closed }));
    socket.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
    socket.on('error', reject);
  });
}

forEachDatabase(
  'WebSocket handshakes carry the session and user',
  (db) => {
    let app: Application;
    let server: RunningServer;
    let origin: string;
    let ws: string;
    beforeAll(async () => {
      app = await siteApplication([whoami, members], { ALLOWED_HOSTS: ['testserver', '127.0.0.1'] });
      server = await serve(app, { port: 0 });
      origin = server.url;
      ws = server.url.replace('http', 'ws');
    });
    afterAll(async () => {
      await server.close(2000);
    });
    beforeEach(async () => {
      await db.flush(authTables());
      await createUser({ username: 'ann', email: 'ann@example.com', password: 'ann-password-1' });
    });

    it('an anonymous handshake gets AnonymousUser', async () => {
      const { first, socket } = await connect(`${ws}/ws/whoami/`, { origin });
      expect(JSON.parse(await first)).toEqual({ authenticated: false, username: '' });
      socket.close();
    });

    it("a handshake with a logged-in session cookie gets that user, for the socket's whole life", async () => {
      const client = new TestClient(app);
      expect((await logIn(client, 'ann', 'ann-password-1')).status).toBe(302);
      const cookie = `sessionid=${client.cookies.get('sessionid')!}`;
      const { first, socket } = await connect(`${ws}/ws/whoami/`, { origin, cookie });
      expect(JSON.parse(await first)).toEqual({ authenticated: true, username: 'ann' });
      const reply = new Promise<string>((r) => socket.once('message', (data) => r(String(data))));
      socket.send('hello');
      expect(await reply).toBe('ann: hello');
      socket.close();
    });

    it('a forged or stale session cookie is anonymous; a consumer can refuse it with a close code', async () => {
      const forged = await connect(`${ws}/ws/members/`, { origin, cookie: 'sessionid=abcdefghijklmnopqrstuvwxyz012345' });
      expect(await forged.closed).toBe(4401);
      const client = new TestClient(app);
      await logIn(client, 'ann', 'ann-password-1');
      const member = await connect(`${ws}/ws/members/`, { origin, cookie: `sessionid=${client.cookies.get('sessionid')!}` });
      expect(await member.first).toBe('welcome ann');
      member.socket.close();
    });

    it('a logged-in cookie sent from a foreign Origin is refused with 403 (cross-site WebSocket hijacking)', async () => {
      const client = new TestClient(app);
      await logIn(client, 'ann', 'ann-password-1');
      await expect(connect(`${ws}/ws/whoami/`, { origin: 'https://evil.example', cookie: `sessionid=${client.cookies.get('sessionid')!}` })).rejects.toMatchObject({ status: 403 });
    });
  },
  { models: authTables },
);
