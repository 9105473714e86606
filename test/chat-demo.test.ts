import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { pathToFileURL } from 'node:url';
import { createApplication, include, loadProject, serve, type Project, type RouteEntry, type RunningServer } from '@atrium/core';

const starter = resolve(import.meta.dirname, '..', 'starter');

/** A client of a room: resolves after the server's welcome message. */
function joinRoom(url: string, origin: string): Promise<{ socket: WebSocket; name: string; next(): Promise<Record<string, string>> }> {
  return new Promise((resolveJoin, reject) => {
    const socket = new WebSocket(url, { headers: { origin } });
    const queue: Array<Record<string, string>> = [];
    const waiters: Array<(m: Record<string, string>) => void> = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, string>;
      if (message['type'] === 'welcome') {
        resolveJoin({ socket, name: message['user']!, next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiters.push(r))) });
        return;
      }
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    socket.on('error', reject);
  });
}

describe('the starter chat demo', () => {
  let project: Project;
  let server: RunningServer;
  beforeAll(async () => {
    project = await loadProject({ cwd: starter, env: { DEBUG: 'true' } });
    server = await serve(project, { port: 0 });
  });
  afterAll(async () => {
    await server.close(2000);
  });

  it('serves the room page: the user name with a guest site, the login page first with accounts', async () => {
    const response = await fetch(`${server.url}/chat/lobby/`, { redirect: 'manual' });
    if (project.context.apps.has('auth')) {
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toContain('next=%2Fchat%2Flobby%2F');
    } else {
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<h1>#lobby</h1>');
      expect(html).toMatch(/You are chatting as <strong>guest-[0-9a-f]{6}<\/strong>/);
      expect(html).toContain('data-socket-path="/chat/lobby/socket/"');
      expect(html).toContain('/static/chat/chat.js');
    }
  });

  it('broadcasts a message to every socket of the room, and not to other rooms', async () => {
    // The chat app on its own (no accounts: everyone is a guest), whatever the starter's settings add.
    // Imported at run time: the starter is its own TypeScript project, outside this one.
    const chatRoutes = ((await import(pathToFileURL(join(starter, 'chat', 'urls.ts')).href)) as { default: RouteEntry[] }).default;
    const app = await createApplication({
      settings: { SECRET_KEY: 'k'.repeat(40), ALLOWED_HOSTS: ['127.0.0.1'], CHANNEL_LAYERS: { default: { BACKEND: 'memory' } } },
      routes: [include('chat/', chatRoutes, { namespace: 'chat' })],
      root: starter,
      templates: null,
      env: {},
    });
    const chat = await serve(app, { port: 0 });
    try {
      const ws = chat.url.replace('http', 'ws');
      const ann = await joinRoom(`${ws}/chat/lobby/socket/`, chat.url);
      expect(await ann.next()).toEqual({ type: 'joined', user: ann.name });
      const bob = await joinRoom(`${ws}/chat/lobby/socket/`, chat.url);
      expect(await ann.next()).toEqual({ type: 'joined', user: bob.name });
      expect(await bob.next()).toEqual({ type: 'joined', user: bob.name });
      const eve = await joinRoom(`${ws}/chat/elsewhere/socket/`, chat.url);
      expect(await eve.next()).toEqual({ type: 'joined', user: eve.name });

      ann.socket.send('  <b>hello</b>  ');
      const expected = { type: 'message', user: ann.name, text: '<b>hello</b>' };
      expect(await ann.next()).toEqual(expected);
      expect(await bob.next()).toEqual(expected);
      bob.socket.close();
      expect(await ann.next()).toEqual({ type: 'left', user: bob.name });
      eve.socket.send('only here');
      expect(await eve.next()).toEqual({ type: 'message', user: eve.name, text: 'only here' });
      ann.socket.close();
      eve.socket.close();
    } finally {
      await chat.close(2000);
    }
  });
});
