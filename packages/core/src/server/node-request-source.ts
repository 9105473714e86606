import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestSource } from '../http/request.js';

/**
 * The RequestSource of a node:http request: one object of a fixed shape,
 * read from IncomingMessage once. (Node builds `req.headers` itself for
 * every HTTP/1.1 request, to check Host and Expect, so passing it on costs
 * nothing.)
 */
export class NodeRequestSource implements RequestSource {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: AsyncIterable<Uint8Array> | null;
  readonly remoteAddress: string | undefined;
  readonly encrypted: boolean;

  constructor(req: IncomingMessage) {
    this.method = req.method ?? 'GET';
    this.url = req.url ?? '/';
    this.headers = req.headers;
    this.body = this.method === 'GET' || this.method === 'HEAD' ? null : req;
    // Read now, not lazily: node caches the peer address per socket (a few
    // nanoseconds on a keep-alive connection), and after a disconnect it is gone.
    const socket = req.socket as TLSSocket;
    this.remoteAddress = socket.remoteAddress;
    this.encrypted = socket.encrypted === true;
  }
}
