import { describe, expect, it } from 'vitest';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { writeResponse } from '../src/server/write-response.js';
import { HttpResponse, json, text } from '../src/http/response.js';

/** The bytes a server sends for two GET requests on one keep-alive connection, with the Date lines removed. */
async function wire(respond: (res: ServerResponse, index: number) => void, count: number): Promise<string> {
  let index = 0;
  const server = createServer((_req, res) => respond(res, index++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    socket.write(request.repeat(count));
    // Every response here ends with its body; wait for the last one.
    await new Promise<void>((resolve) => {
      const check = () => ((received.match(/HTTP\/1\.1 /g)?.length ?? 0) === count && received.endsWith('|end') ? resolve() : setTimeout(check, 5));
      check();
    });
    socket.destroy();
    return received.replace(/\r\nDate: [^\r]*/g, '');
  } finally {
    server.close();
  }
}

/** What node sends for `response` given its headers as an object, the way every response was written before the shared header list. */
function writeAsObject(res: ServerResponse, response: HttpResponse): void {
  const body = response.body as string;
  res.writeHead(response.status, { ...response.headers.raw, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function responses(): HttpResponse[] {
  const many = text('many headers|end');
  many.headers.set('x-one', '1');
  many.headers.set('x-two', '2');
  many.headers.append('vary', 'Accept');
  many.headers.append('vary', 'Cookie');
  many.headers.set('set-cookie', 'a=1; Path=/');
  const few = json({ ok: true, tail: '|end' });
  few.body = `${few.body as string}|end`;
  const fewer = new HttpResponse('bare|end', { status: 201 });
  return [many, few, fewer, text('après|end', { status: 404 })];
}

describe('writeResponse', () => {
  it('sends the same bytes as writeHead with a header object, also when a response has fewer headers than the one before', async () => {
    const viaWriteResponse = responses();
    const viaObject = responses();
    const written = await wire((res, i) => writeResponse(res, viaWriteResponse[i]!, false), 4);
    const expected = await wire((res, i) => writeAsObject(res, viaObject[i]!), 4);
    expect(written).toBe(expected);
    // The fewer-header responses carry none of the earlier response's headers.
    const [, second, third] = written.split('HTTP/1.1 ').slice(1);
    expect(second).not.toMatch(/x-one|vary|set-cookie/i);
    expect(third).toMatch(/^201 Created\r\ncontent-length: 8\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nbare\|end$/);
  });

  it('leaves the next response intact after node refused a header', async () => {
    const bad = text('x|end');
    // A value node refuses (a control character ResponseHeaders does not check for).
    bad.headers.raw['x-bad'] = 'a\u0000b';
    const good = text('fine|end');
    const errors: unknown[] = [];
    const written = await wire((res, i) => {
      if (i === 0) {
        try {
          writeResponse(res, bad, false);
        } catch (error) {
          errors.push(error);
          res.writeHead(500, { 'content-length': '9' }).end('error|end');
        }
        return;
      }
      writeResponse(res, good, false);
    }, 2);
    expect(errors).toHaveLength(1);
    expect(written.split('HTTP/1.1 ')[2]).toMatch(/^200 OK\r\ncontent-type: text\/plain; charset=utf-8\r\ncontent-length: 8\r\n[^]*\r\n\r\nfine\|end$/);
    expect(written).not.toMatch(/x-bad/);
  });
});
