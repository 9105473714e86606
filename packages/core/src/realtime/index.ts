export { websocket, WebSocketAccept, type WebSocketConsumer } from './websocket-route.js';
export { WebSocketConnection, type WebSocketMessage, type WebSocketCloseEvent } from './websocket-connection.js';
export { originPolicy, type OriginPolicy } from './websocket-origin.js';
export { sse, lastEventId, formatEvent, EventStreamBody, type ServerSentEvent, type EventSource, type SseOptions } from './server-sent-events.js';
export { realtimeSettings, realtimeSettingsSchema, type RealtimeSettings, type ChannelLayerSettings } from './realtime-settings.js';
export type { ChannelLayer, GroupMember } from './channels/channel-layer.js';
export { MemoryChannelLayer } from './channels/memory-channel-layer.js';
export { RedisChannelLayer, type RedisChannelLayerOptions } from './channels/redis-channel-layer.js';
export { channelLayer, closeChannelLayers } from './channels/channel-layers.js';
