import { path, websocket } from '@atrium/core';
import { room, roomSocket } from './views.js';

/** The chat app's routes; the project includes them under 'chat/' in the 'chat' namespace. */
export default [
  path('<slug:room>/', room, { name: 'room', methods: ['GET'] }),
  websocket('<slug:room>/socket/', roomSocket, { name: 'socket' }),
];
