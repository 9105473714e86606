import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApplication } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { useTestDatabase } from '@atrium/orm/testing';
import app from '../app.js';
import { Note, Notebook } from '../models.js';
import routes from '../../urls.js';

// A fresh in-memory database for this file; each test's rows are rolled back after it.
await useTestDatabase({ models: [Notebook, Note] });

// The project's routes and templates with the notes app, in process: no server, no socket.
// The test database above stands in for DATABASES, so '@atrium/orm' is not installed here.
const application = await createApplication({
  settings: {
    SECRET_KEY: 'test-only-secret-key-0123456789abcdefghij',
    ALLOWED_HOSTS: ['testserver'],
    TEMPLATES: { DIRS: ['templates'] },
  },
  apps: [app],
  routes,
  root: join(import.meta.dirname, '..', '..'),
});
const client = new TestClient(application);

describe('notes views', () => {
  it('lists notes newest first, linking to each', async () => {
    const notebook = await Notebook.objects.create({ name: 'Work' });
    const first = await Note.objects.create({ notebook, title: 'First note' });
    await Note.objects.create({ notebook, title: 'Second note' });
    const response = await client.get('/notes/');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.indexOf('Second note')).toBeGreaterThan(-1);
    expect(html.indexOf('Second note')).toBeLessThan(html.indexOf('First note'));
    expect(html).toContain(`href="/notes/${first.id}/"`);
  });

  it('says so when there are no notes', async () => {
    const html = await (await client.get('/notes/')).text();
    expect(html).toContain('No notes yet.');
  });

  it('shows one note, escaping its text', async () => {
    const notebook = await Notebook.objects.create({ name: 'Home' });
    const note = await Note.objects.create({ notebook, title: 'Shopping', body: 'milk <b>& bread</b>' });
    const response = await client.get(`/notes/${note.id}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('milk &lt;b&gt;&amp; bread&lt;/b&gt;');
  });

  it('sends the home page to the notes list', async () => {
    const response = await client.get('/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/notes/');
  });

  it('answers 404 for a note that does not exist', async () => {
    expect((await client.get('/notes/999999/')).status).toBe(404);
  });
});
