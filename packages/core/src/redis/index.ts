/**
 * `@atrium/core/redis`: the fail-fast ioredis connection shared by Redis-backed
 * parts of Atrium (cache, sessions, throttling, channel layers).
 */
export { RedisConnection, type RedisConnectionOptions } from './redis-connection.js';
export { redactUrl } from './redact-url.js';
