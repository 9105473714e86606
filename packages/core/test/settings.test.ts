import { describe, expect, it } from 'vitest';
import { validateSettings } from '../src/settings/validate-settings.js';
import { applyEnvOverrides } from '../src/settings/env-overrides.js';
import { ImproperlyConfigured } from '../src/errors.js';

const SECRET = 'k'.repeat(48);

describe('validateSettings', () => {
  it('applies defaults', () => {
    const s = validateSettings({ SECRET_KEY: SECRET }, { env: {} });
    expect(s.DEBUG).toBe(false);
    expect(s.MIDDLEWARE).toEqual(['security', 'common', 'static']);
    expect(s.DATA_UPLOAD_MAX_MEMORY_SIZE).toBe(2621440);
    expect(s.DATABASES['default']?.ENGINE).toBe('sqlite');
    expect(s.TEMPLATES.BACKEND).toBe('@atrium/templates');
    expect(s.SERVER.requestTimeout).toBeGreaterThan(0);
  });

  it('names a missing SECRET_KEY and what is expected', () => {
    expect(() => validateSettings({}, { env: {}, source: 'settings.ts' })).toThrowError(/SECRET_KEY is missing/);
    try {
      validateSettings({}, { env: {}, source: 'settings.ts' });
    } catch (error) {
      expect(error).toBeInstanceOf(ImproperlyConfigured);
      expect((error as ImproperlyConfigured).code).toBe('E_IMPROPERLY_CONFIGURED');
      expect((error as Error).message).toContain('in settings.ts');
    }
  });

  it('names a wrongly typed key and the value, masking secrets', () => {
    expect(() => validateSettings({ SECRET_KEY: SECRET, DEBUG: 'yes' }, { env: {} })).toThrowError(/DEBUG is "yes": .*boolean/i);
    let message = '';
    try {
      validateSettings({ SECRET_KEY: 'short-secret' }, { env: {} });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SECRET_KEY');
    expect(message).toContain('at least 32 characters');
    expect(message).not.toContain('short-secret');
  });

  it('reports nested keys with their path', () => {
    expect(() =>
      validateSettings({ SECRET_KEY: SECRET, DATABASES: { default: { ENGINE: 'oracle', NAME: 'x' } } }, { env: {} }),
    ).toThrowError(/DATABASES\.default\.ENGINE is "oracle"/);
  });

  it('allows loopback hosts when DEBUG and ALLOWED_HOSTS is empty', () => {
    const s = validateSettings({ SECRET_KEY: SECRET, DEBUG: true }, { env: {} });
    expect(s.ALLOWED_HOSTS).toEqual(['localhost', '127.0.0.1', '[::1]']);
    const prod = validateSettings({ SECRET_KEY: SECRET }, { env: {} });
    expect(prod.ALLOWED_HOSTS).toEqual([]);
  });

  it('keeps unknown keys for third-party apps', () => {
    const s = validateSettings({ SECRET_KEY: SECRET, BLOG_PAGE_SIZE: 20 }, { env: {} });
    expect(s['BLOG_PAGE_SIZE']).toBe(20);
  });
});

describe('environment overrides', () => {
  it('overrides top-level and nested keys with ATRIUM_ variables', () => {
    const s = validateSettings(
      { SECRET_KEY: SECRET, DEBUG: true, ALLOWED_HOSTS: ['a.example'] },
      {
        env: {
          ATRIUM_DEBUG: 'false',
          ATRIUM_ALLOWED_HOSTS: 'b.example, c.example',
          ATRIUM_DATABASES__default__NAME: 'other.sqlite3',
          ATRIUM_DATA_UPLOAD_MAX_NUMBER_FIELDS: '50',
        },
      },
    );
    expect(s.DEBUG).toBe(false);
    expect(s.ALLOWED_HOSTS).toEqual(['b.example', 'c.example']);
    expect(s.DATABASES['default']?.NAME).toBe('other.sqlite3');
    expect(s.DATA_UPLOAD_MAX_NUMBER_FIELDS).toBe(50);
  });

  it('a bad environment value is reported against the key', () => {
    expect(() => validateSettings({ SECRET_KEY: SECRET }, { env: { ATRIUM_DEBUG: 'maybe' } })).toThrowError(/DEBUG is "maybe"/);
  });

  it('ignores prototype-polluting paths', () => {
    const out = applyEnvOverrides({}, { ATRIUM___proto____polluted: '1', ATRIUM_constructor__x: '1' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(out)).toEqual([]);
  });

  it('does not mutate the input settings object', () => {
    const input = { SECRET_KEY: SECRET, SERVER: { keepAliveTimeout: 1 } };
    applyEnvOverrides(input, { ATRIUM_SERVER__keepAliveTimeout: '9' });
    expect(input.SERVER.keepAliveTimeout).toBe(1);
  });
});
