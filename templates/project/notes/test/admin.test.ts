import { describe, expect, it } from 'vitest';
import { LogEntry } from '@atrium/admin';
import { authModels, createSuperuser } from '@atrium/auth';
import { useTestDatabase } from '@atrium/orm/testing';
import { Note, Notebook } from '../models.js';
import { logIn, testClient } from '../../test/test-client.js';

// The admin needs the auth tables (users, sessions, permissions) and its history table too.
await useTestDatabase({ models: [...authModels, LogEntry, Notebook, Note] });

const PASSWORD = 'correct horse battery staple';

describe('notes in the admin', () => {
  it('sends a visitor who is not logged in to the login page', async () => {
    const client = await testClient();
    const response = await client.get('/admin/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/admin/login/?next=%2Fadmin%2F');
  });

  it('lets a superuser add a note, which the public list then shows', async () => {
    await createSuperuser({ username: 'admin', email: 'admin@example.com', password: PASSWORD });
    const notebook = await Notebook.objects.create({ name: 'Work' });
    const client = await testClient();
    await logIn(client, 'admin', PASSWORD);

    const form = await (await client.get('/admin/notes/note/add/')).text();
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const saved = await client.post('/admin/notes/note/add/', {
      form: { csrfmiddlewaretoken: token, notebook: String(notebook.id), title: 'Written in the admin', body: 'Hello' },
    });
    expect(saved.status).toBe(302);
    expect(await Note.objects.filter({ title: 'Written in the admin' }).count()).toBe(1);
    expect(await (await client.get('/notes/')).text()).toContain('Written in the admin');
  });

  it('refuses a form posted without its CSRF token', async () => {
    await createSuperuser({ username: 'admin', email: 'admin@example.com', password: PASSWORD });
    const client = await testClient();
    await logIn(client, 'admin', PASSWORD);
    const response = await client.post('/admin/notes/notebook/add/', { form: { name: 'Forged' } });
    expect(response.status).toBe(403);
    expect(await Notebook.objects.count()).toBe(0);
  });
});
