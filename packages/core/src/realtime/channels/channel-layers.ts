import type { AppContext } from '../../app/context.js';
import { ImproperlyConfigured } from '../../errors.js';
import { realtimeSettings } from '../realtime-settings.js';
import type { ChannelLayer } from './channel-layer.js';
import { MemoryChannelLayer } from './memory-channel-layer.js';
import { RedisChannelLayer } from './redis-channel-layer.js';

const layers = new WeakMap<AppContext, Map<string, ChannelLayer>>();

/**
 * The application's channel layer named `alias` in CHANNEL_LAYERS (default
 * 'default'), created on first use and closed with the application.
 * @example
 * // settings.ts
 * CHANNEL_LAYERS: { default: { BACKEND: 'redis', LOCATION: 'redis://127.0.0.1:6379/0' } },
 * // a consumer
 * await channelLayer(request.app).groupAdd(`chat.${room}`, socket);
 */
export function channelLayer(app: AppContext, alias = 'default'): ChannelLayer {
  let byAlias = layers.get(app);
  if (byAlias === undefined) layers.set(app, (byAlias = new Map()));
  let layer = byAlias.get(alias);
  if (layer !== undefined) return layer;
  const config = realtimeSettings(app.settings).CHANNEL_LAYERS[alias];
  if (config === undefined) {
    const known = Object.keys(realtimeSettings(app.settings).CHANNEL_LAYERS).join(', ') || '(none)';
    throw new ImproperlyConfigured(`CHANNEL_LAYERS has no alias '${alias}'; configured: ${known}.`);
  }
  layer =
    config.BACKEND === 'redis'
      ? new RedisChannelLayer({ url: config.LOCATION!, prefix: config.OPTIONS.prefix, timeout: config.OPTIONS.timeout })
      : new MemoryChannelLayer();
  byAlias.set(alias, layer);
  return layer;
}

/** Close the channel layers `app` opened (the application's close() does). */
export async function closeChannelLayers(app: AppContext): Promise<void> {
  const byAlias = layers.get(app);
  if (byAlias === undefined) return;
  layers.delete(app);
  await Promise.all([...byAlias.values()].map((layer) => layer.close()));
}
