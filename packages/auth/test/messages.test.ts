import { afterAll, describe, expect, it } from 'vitest';
import { path, redirect, text, type Application, type HttpRequest } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { createTemplateBackend } from '@atrium/templates';
import { Message, Messages } from '../src/index.js';
import { authApplication } from './fixtures.js';

const show = (request: HttpRequest) =>
  text(
    [...request.state.messages!].map((m) => `${m.tags}:${m.text}`).join('|') || 'none',
  );
const routes = [
  path('save/', (request: HttpRequest) => {
    request.state.messages!.success('Profile saved.');
    request.state.messages!.warning('Check your e-mail.', 'sticky');
    request.state.messages!.debug('Hidden below MESSAGE_LEVEL.');
    return redirect('/show/');
  }),
  path('show/', show),
  path('quiet/', () => text('quiet')),
  path('flood/', (request: HttpRequest) => {
    for (let i = 0; i < 200; i++) request.state.messages!.info(`Message number ${i} with some padding text "quoted" & escaped`);
    return text('flooded');
  }),
];

const apps: Application[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

for (const storage of ['cookie', 'session'] as const) {
  describe(`messages in ${storage} storage`, () => {
    const make = async () => {
      const app = await authApplication(routes, { MESSAGE_STORAGE: storage, SESSION_ENGINE: 'memory' });
      apps.push(app);
      return new TestClient(app);
    };

    it('keeps messages across a redirect and shows them once', async () => {
      const client = await make();
      expect((await client.get('/save/')).status).toBe(302);
      // A request that does not look at the messages leaves them for later.
      await client.get('/quiet/');
      expect(await (await client.get('/show/')).text()).toBe('success:Profile saved.|sticky warning:Check your e-mail.');
      expect(await (await client.get('/show/')).text()).toBe('none');
    });

    it('removes the storage once the messages were shown', async () => {
      const client = await make();
      await client.get('/save/');
      if (storage === 'cookie') expect(client.cookies.get('messages')).toBeDefined();
      await client.get('/show/');
      expect(client.cookies.get('messages')).toBeUndefined();
    });

    it('keeps the cookie under the browser limit by dropping the oldest', async () => {
      const client = await make();
      const res = await client.get('/flood/');
      const body = await (await client.get('/show/')).text();
      const shown = body.split('|');
      expect(shown.at(-1)).toContain('Message number 199');
      if (storage === 'cookie') {
        expect(res.headers.get('set-cookie')!.length).toBeLessThan(4096);
        expect(shown.length).toBeLessThan(200);
      } else {
        expect(shown.length).toBe(200);
      }
    });
  });
}

describe('forged message cookies', () => {
  it('ignores an unsigned or tampered cookie', async () => {
    const app = await authApplication(routes);
    apps.push(app);
    const client = new TestClient(app);
    client.cookies.set('messages', JSON.stringify([{ level: 'error', text: '<script>forged</script>' }]));
    expect(await (await client.get('/show/')).text()).toBe('none');
  });
});

describe('Messages with templates', () => {
  it("renders through the templates package's 'messages' context processor, once", async () => {
    const app = await authApplication([]);
    apps.push(app);
    const backend = await createTemplateBackend({ ...app.context, settings: { ...app.context.settings, TEMPLATES: { ...app.context.settings.TEMPLATES, DIRS: [], APP_DIRS: false, OPTIONS: { contextProcessors: ['messages'] } } } });
    const messages = new Messages([new Message('info', 'Stored <earlier>')]);
    messages.success('Saved.');
    const request = { state: { messages } } as unknown as HttpRequest;
    const template = '{{ messages | length }}:{% for m in messages %}[{{ m.tags }}] {{ m }};{% endfor %}';
    expect(await backend.renderString(template, {}, request)).toBe('2:[info] Stored &lt;earlier&gt;;[success] Saved.;');
    expect(messages.pending()).toEqual({ messages: [], changed: true });
  });
});
