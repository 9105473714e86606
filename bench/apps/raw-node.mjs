// The baseline for bench/suites/http.mjs: TechEmpower plaintext and json on
// bare node:http, written the way a careful hand-written server would be.
//
// It sends the same header set as bench/apps/atrium-http.mjs: Server and Date
// (TechEmpower requires both; node adds Date itself) plus the security
// headers Atrium's 'security' middleware adds by default. Without them the
// baseline would do less work per response and the ratio would measure
// header bytes, not the framework. The suite checks the two sets match.
import { createServer } from 'node:http';

const PLAINTEXT = 'Hello, World!';
const PLAINTEXT_TYPE = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';

function send(res, contentType, body) {
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    server: 'bench',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.url === '/plaintext') return send(res, PLAINTEXT_TYPE, PLAINTEXT);
  // TechEmpower: serialize a fresh object on every request.
  if (req.url === '/json') return send(res, JSON_TYPE, JSON.stringify({ message: 'Hello, World!' }));
  res.writeHead(404, { 'content-type': PLAINTEXT_TYPE, 'content-length': 9, server: 'bench' });
  res.end('Not Found');
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1');
// Exit through process.exit so `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
