import { Http404, channelLayer, redirect, type HttpRequest, type HttpResponse, type WebSocketConnection } from '@atrium/core';
import { render } from '@atrium/templates';
import { chatter } from './chatter.js';

/** Longest room slug: the group name 'chat.<room>' must stay within the channel layer's 100 characters. */
const MAX_ROOM = 50;
/** Longest message kept, in characters. */
const MAX_TEXT = 500;

/** GET /chat/<room>/: the room page; anonymous visitors of a site with accounts go to the login page first. */
export async function room(request: HttpRequest, { room }: { room: string }): Promise<HttpResponse> {
  if (room.length > MAX_ROOM) throw new Http404(`Room names are at most ${MAX_ROOM} characters.`);
  const who = await chatter(request);
  if (who.name === null) return redirect(`${who.loginUrl}?next=${encodeURIComponent(request.path)}`);
  return render(request, 'chat/room.html', { room, name: who.name, socketPath: request.reverse('chat:socket', { room }) });
}

/**
 * The room's WebSocket: join the group 'chat.<room>', announce arrivals and
 * departures, and broadcast each text message to every socket in the room,
 * on every worker when CHANNEL_LAYERS uses Redis. Close code 4401 asks an
 * anonymous client to log in.
 */
export async function roomSocket(request: HttpRequest, socket: WebSocketConnection, { room }: { room: string }): Promise<void> {
  if (room.length > MAX_ROOM) return socket.close(4404, 'No such room');
  const who = await chatter(request);
  if (who.name === null) return socket.close(4401, 'Log in to chat');
  const name = who.name;
  const layer = channelLayer(request.app);
  const group = `chat.${room}`;
  await layer.groupAdd(group, socket);
  await socket.json({ type: 'welcome', user: name, room });
  await layer.groupSend(group, { type: 'joined', user: name });
  socket.onClose(() => void layer.groupSend(group, { type: 'left', user: name }));
  for await (const message of socket) {
    const text = String(message).trim().slice(0, MAX_TEXT);
    if (text !== '') await layer.groupSend(group, { type: 'message', user: name, text });
  }
}
