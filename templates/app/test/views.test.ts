import { describe, expect, it } from 'vitest';
import { createApplication, include } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import app from '../app.js';
import routes from '../urls.js';

// A small application with only this app installed; no server, no socket.
const application = await createApplication({
  settings: {
    SECRET_KEY: 'test-only-secret-key-0123456789abcdefghij',
    ALLOWED_HOSTS: ['testserver'],
    TEMPLATES: { DIRS: [] },
  },
  apps: [app],
  routes: [include('{{ app_name }}/', routes, { namespace: '{{ app_name }}' })],
  root: import.meta.dirname,
});

describe('{{ app_name }} views', () => {
  it('renders the index page', async () => {
    const client = new TestClient(application);
    const response = await client.get('/{{ app_name }}/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<h1>{{ AppName }}</h1>');
  });

  it('reverses its routes in the app namespace', () => {
    expect(application.context.reverse('{{ app_name }}:index')).toBe('/{{ app_name }}/');
  });
});
