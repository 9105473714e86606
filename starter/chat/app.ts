import { defineApp } from '@atrium/core';

/** The chat demo: a room page and its WebSocket, broadcast through the channel layer (CHANNEL_LAYERS). */
export default defineApp({ label: 'chat', verboseName: 'Chat', path: import.meta.dirname });
