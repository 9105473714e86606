import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Application } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { createUser, defaultPasswordHashers } from '../src/index.js';
import { csrfToken } from './support/browser.js';
import { forEachDatabase } from './support/databases.js';
import { authTables, siteApplication } from './support/site.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A login for an unknown username must cost what a wrong password for a
 * real account costs (one argon2id verification at the real OWASP
 * parameters), so response time does not reveal which accounts exist.
 * Attempts are interleaved (known, unknown, known, ...) so load on the
 * machine affects both sides alike, and medians ignore outliers; the bound
 * is loose (50%) while the gap it guards against is the whole hash (a
 * request that skips hashing is several times faster, checked too).
 */
forEachDatabase(
  'login timing',
  (db) => {
    let app: Application;
    beforeAll(async () => {
      app = await siteApplication([], {
        PASSWORD_HASHERS: ['argon2'],
        AUTH_THROTTLE_USERNAME_LIMIT: 100,
        AUTH_THROTTLE_IP_LIMIT: 10_000,
        AUTH_THROTTLE_DELAY_AFTER: 1000,
      });
      await db.flush(authTables());
      await createUser({ username: 'known', password: 'the-right-password-1' });
    });
    afterAll(() => app.close());

    it('takes as long for an unknown user as for a wrong password', async () => {
      expect(defaultPasswordHashers().preferred.algorithm).toBe('argon2');
      const client = new TestClient(app);
      await client.get('/accounts/login/');
      const token = csrfToken(client);
      const attempt = async (form: Record<string, string>): Promise<number> => {
        const started = performance.now();
        const res = await client.post('/accounts/login/', { form: { csrfmiddlewaretoken: token, ...form } });
        const elapsed = performance.now() - started;
        expect(res.status).toBe(200);
        return elapsed;
      };
      // Warm up: first hashes pay for allocating argon2's memory.
      await attempt({ username: 'known', password: 'warm-up-password' });
      await attempt({ username: 'nobody-at-all', password: 'warm-up-password' });

      const known: number[] = [];
      const unknown: number[] = [];
      const noHash: number[] = [];
      for (let i = 0; i < 11; i++) {
        known.push(await attempt({ username: 'known', password: `wrong-password-${i}` }));
        unknown.push(await attempt({ username: `nobody-${i}`, password: `wrong-password-${i}` }));
        // An invalid form never reaches a hash: the baseline without one.
        noHash.push(await attempt({ username: 'known', password: '' }));
      }
      const k = median(known);
      const u = median(unknown);
      const baseline = median(noHash);
      expect(Math.abs(k - u) / Math.max(k, u), `known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(0.5);
      // Both really verified a hash: well above a request that does not.
      expect(u, `unknown ${u.toFixed(1)} ms vs no hash ${baseline.toFixed(1)} ms`).toBeGreaterThan(baseline * 2);
      expect(k).toBeGreaterThan(baseline * 2);
    });
  },
  { models: authTables },
);
