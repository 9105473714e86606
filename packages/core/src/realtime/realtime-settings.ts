import { z } from 'zod';
import { ImproperlyConfigured } from '../errors.js';
import type { Settings } from '../settings/schema.js';

const MiB = 1024 * 1024;

const channelLayerSchema = z.object({
  /** 'memory': one process only (development, tests); 'redis': every process that shares the server. */
  BACKEND: z.enum(['memory', 'redis']),
  /** Redis URL (`redis://host:6379/0`); required by the redis backend. */
  LOCATION: z.string().optional(),
  OPTIONS: z
    .object({
      /** Prefix of the Redis pub/sub channel names, so several sites can share one server. */
      prefix: z.string().default('atrium:channels:'),
      /** ms to connect or publish before the attempt fails. */
      timeout: z.number().int().positive().default(2_000),
    })
    .default({ prefix: 'atrium:channels:', timeout: 2_000 }),
});

/** The real-time settings, validated apart from core's schema the way apps validate theirs. */
export const realtimeSettingsSchema = z.object({
  /** Origins allowed to open WebSockets besides the site itself and ALLOWED_HOSTS ('https://app.example.com', 'https://*.example.com'). */
  WEBSOCKET_ALLOWED_ORIGINS: z.array(z.string().regex(/^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i, "must be 'scheme://host[:port]' without a path")).default([]),
  /** Accept handshakes without an Origin header (non-browser clients). Browsers always send one. */
  WEBSOCKET_ALLOW_MISSING_ORIGIN: z.boolean().default(false),
  /** Largest message a client may send, in bytes; a bigger one closes the socket with 1009. */
  WEBSOCKET_MAX_MESSAGE_SIZE: z.number().int().positive().default(MiB),
  /** Bytes queued for a client that does not read before it is dropped (1008), so one slow reader cannot exhaust memory. */
  WEBSOCKET_MAX_BUFFERED: z.number().int().positive().default(4 * MiB),
  /** ms between pings; a peer that did not answer the previous ping is dropped. 0 turns pings off. */
  WEBSOCKET_PING_INTERVAL: z.number().int().nonnegative().default(30_000),
  CHANNEL_LAYERS: z.record(z.string(), channelLayerSchema).default({ default: { BACKEND: 'memory', OPTIONS: { prefix: 'atrium:channels:', timeout: 2_000 } } }),
});

export type RealtimeSettings = z.output<typeof realtimeSettingsSchema>;
export type ChannelLayerSettings = z.output<typeof channelLayerSchema>;

const cache = new WeakMap<Settings, RealtimeSettings>();

/**
 * The WEBSOCKET_* and CHANNEL_LAYERS settings of a project, validated once
 * (createApplication calls this at start-up, so a typo stops it naming the key).
 * @example realtimeSettings(app.settings).WEBSOCKET_MAX_MESSAGE_SIZE
 */
export function realtimeSettings(settings: Settings): RealtimeSettings {
  let parsed = cache.get(settings);
  if (parsed !== undefined) return parsed;
  const result = realtimeSettingsSchema.safeParse(settings);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.');
    throw new ImproperlyConfigured(`Setting ${key} is invalid: ${issue.message}.`);
  }
  parsed = result.data;
  for (const [alias, layer] of Object.entries(parsed.CHANNEL_LAYERS)) {
    if (layer.BACKEND === 'redis' && !layer.LOCATION) {
      throw new ImproperlyConfigured(`CHANNEL_LAYERS.${alias} uses the redis backend but has no LOCATION; set LOCATION: 'redis://127.0.0.1:6379/0'.`);
    }
  }
  cache.set(settings, parsed);
  return parsed;
}
