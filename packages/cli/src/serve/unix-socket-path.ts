import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { PortUnavailable } from '../errors.js';

/**
 * Make `path` free for a Unix socket listener: a socket file left behind by a
 * server that died is removed; a live socket or any other kind of file is an
 * error naming the path (never deleted).
 * @example await prepareSocketPath('/run/app/atrium.sock');
 */
export async function prepareSocketPath(path: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch {
    return; // nothing there
  }
  if (!stats.isSocket()) throw new PortUnavailable(`--socket ${path} exists and is not a socket; remove it or pick another path.`);
  if (await answers(path)) throw new PortUnavailable(`Another server listens on the socket ${path}; stop it or pick another path.`);
  await unlink(path);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
