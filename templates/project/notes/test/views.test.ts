import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@atrium/orm/testing';
import { Note, Notebook } from '../models.js';
import { testClient } from '../../test/test-client.js';

// A fresh in-memory database for this file; each test's rows are rolled back after it.
await useTestDatabase({ models: [Notebook, Note] });

// The whole project (settings, apps, routes) in process; the test database stands in for DATABASES.
const client = await testClient();

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
