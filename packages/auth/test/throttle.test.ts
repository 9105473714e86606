import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginThrottle, MemoryThrottleStore, RedisThrottleStore, ThrottleUnavailable, loginThrottle, type ThrottleStore } from '../src/index.js';
import { authApplication, fakeClock } from './fixtures.js';

const options = { usernameLimit: 5, ipLimit: 8, window: 600, lockout: 900, delayAfter: 2, delayMs: 100 };

describe('LoginThrottle with a fake clock', () => {
  const setup = () => {
    const clock = fakeClock();
    return { clock, throttle: new LoginThrottle(new MemoryThrottleStore({ now: clock.now }), options) };
  };

  it('lets the first attempts through undelayed, then slows them, doubling', async () => {
    const { throttle } = setup();
    expect(await throttle.check('ann', '10.0.0.1')).toEqual({ allowed: true, delayMs: 0, retryAfter: 0, message: null });
    const delays = [];
    for (let i = 0; i < 4; i++) delays.push((await throttle.recordFailure('ann', '10.0.0.1')).delayMs);
    expect(delays).toEqual([0, 100, 200, 400]);
    expect((await throttle.check('ann', '10.0.0.1')).delayMs).toBe(400);
  });

  it('locks a username after the limit, then unlocks when the lock-out ends', async () => {
    const { clock, throttle } = setup();
    let decision;
    for (let i = 0; i < 5; i++) decision = await throttle.recordFailure('ann', `10.0.0.${i}`);
    expect(decision).toEqual({ allowed: false, delayMs: 0, retryAfter: 900, message: 'Too many failed login attempts. Try again in 15 minutes.' });
    expect((await throttle.check('ann', '10.9.9.9')).allowed).toBe(false);
    // Other usernames from the same addresses are not locked.
    expect((await throttle.check('bob', '10.0.0.1')).allowed).toBe(true);
    clock.advance(899_000);
    expect((await throttle.check('ann', '10.9.9.9')).retryAfter).toBe(1);
    clock.advance(1_000);
    expect(await throttle.check('ann', '10.9.9.9')).toEqual({ allowed: true, delayMs: 0, retryAfter: 0, message: null });
  });

  it('locks an address that tries many usernames', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 8; i++) await throttle.recordFailure(`user${i}`, '203.0.113.7');
    expect((await throttle.check('someone-else', '203.0.113.7')).allowed).toBe(false);
    expect((await throttle.check('someone-else', '203.0.113.8')).allowed).toBe(true);
  });

  it('forgets failures outside the window', async () => {
    const { clock, throttle } = setup();
    for (let i = 0; i < 4; i++) await throttle.recordFailure('ann', '10.0.0.1');
    clock.advance(601_000);
    expect((await throttle.recordFailure('ann', '10.0.0.1')).allowed).toBe(true);
  });

  it('resets on a successful login', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) await throttle.recordFailure('ann', '10.0.0.1');
    await throttle.reset('ann');
    expect(await throttle.check('ann', '10.0.0.2')).toEqual({ allowed: true, delayMs: 0, retryAfter: 0, message: null });
  });

  it('counts usernames case- and width-insensitively', async () => {
    const { throttle } = setup();
    for (const name of ['Ann', 'ANN', ' ann ', 'ａｎｎ', 'ann']) await throttle.recordFailure(name, '10.0.0.1');
    expect((await throttle.check('ann', '10.0.0.5')).allowed).toBe(false);
  });

  it('says the same thing whether or not the account exists', async () => {
    const { throttle } = setup();
    const existing: (string | null)[] = [];
    const missing: (string | null)[] = [];
    for (let i = 0; i < 5; i++) existing.push((await throttle.recordFailure('real-user', '10.0.0.1')).message);
    for (let i = 0; i < 5; i++) missing.push((await throttle.recordFailure('no-such-user', '10.0.0.2')).message);
    expect(missing).toEqual(existing);
    expect(existing.at(-1)).not.toMatch(/exist|unknown|user/i);
  });
});

describe('RedisThrottleStore', () => {
  const prefix = `atrium-test-throttle:${randomBytes(4).toString('hex')}:`;
  const store = new RedisThrottleStore({ url: 'redis://127.0.0.1:6379/15', keyPrefix: prefix });
  afterAll(async () => {
    await store.delete('u', 'lock');
    await store.close();
  });

  it('counts, expires, locks and deletes against the real Redis', async () => {
    expect(await store.increment('u', 60)).toBe(1);
    expect(await store.increment('u', 60)).toBe(2);
    expect(await store.count('u')).toBe(2);
    await store.lock('lock', 30);
    expect(await store.lockedFor('lock')).toBeGreaterThan(28);
    await store.delete('u', 'lock');
    expect(await store.count('u')).toBe(0);
    expect(await store.lockedFor('lock')).toBe(0);
  });

  it('drives a LoginThrottle lock', async () => {
    const throttle = new LoginThrottle(store as ThrottleStore, options);
    const user = `redis-${randomBytes(3).toString('hex')}`;
    for (let i = 0; i < 5; i++) await throttle.recordFailure(user, '10.1.1.1');
    expect((await throttle.check(user, '10.1.1.2')).allowed).toBe(false);
    await throttle.reset(user, '10.1.1.1');
    expect((await throttle.check(user, '10.1.1.1')).allowed).toBe(true);
  });

  it('refuses logins (503) when Redis is down, instead of dropping the limit', async () => {
    const broken = new RedisThrottleStore({ url: 'redis://127.0.0.1:1/0', timeout: 200 });
    const error = await new LoginThrottle(broken, options).check('ann', '10.0.0.1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottleUnavailable);
    expect((error as ThrottleUnavailable).status).toBe(503);
    await broken.close();
  });
});

describe('loginThrottle(app)', () => {
  it('reads AUTH_THROTTLE_* settings', async () => {
    const app = await authApplication([], { AUTH_THROTTLE_USERNAME_LIMIT: 3, AUTH_THROTTLE_LOCKOUT: 60 });
    const throttle = loginThrottle(app.context);
    expect(throttle.options.usernameLimit).toBe(3);
    expect(throttle.options.lockout).toBe(60);
    expect(loginThrottle(app.context)).toBe(throttle);
    await app.close();
  });

  it('refuses a username limit above the ASVS maximum of 100 an hour', async () => {
    await expect(authApplication([], { AUTH_THROTTLE_USERNAME_LIMIT: 500 })).rejects.toThrow(/AUTH_THROTTLE_USERNAME_LIMIT is 500/);
  });
});
