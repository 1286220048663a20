import { PassThrough } from 'node:stream';
import { answerClientError } from './client-error.js';

/** A socket stand-in: what was written to it, and whether it was closed. */
function fakeSocket() {
  const socket = new PassThrough();
  const written: string[] = [];
  socket.on('data', (chunk: Buffer) => written.push(chunk.toString('utf8')));
  socket.on('error', () => undefined);
  return { socket, written: () => written.join('') };
}
const parse = (raw: string) => {
  const [head, body] = raw.split('\r\n\r\n') as [string, string];
  const [statusLine, ...headers] = head.split('\r\n');
  return {
    statusLine,
    headers: Object.fromEntries(headers.map((h) => h.split(': ') as [string, string])),
    body: JSON.parse(body) as { error: { code: string; message: string; request_id: string } },
  };
};
const failure = (code: string) => Object.assign(new Error(code), { code });

describe('answers what the HTTP parser refused with the error envelope', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large', 'HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout', 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_CHUNK_SIZE', 'HTTP/1.1 400 Bad Request', 'BAD_REQUEST'],
    ['HPE_INVALID_HEADER_TOKEN', 'HTTP/1.1 400 Bad Request', 'BAD_REQUEST'],
  ])('%s: %s with code %s, a request id in the body and the header, and closes', async (cause, statusLine, code) => {
    const { socket, written } = fakeSocket();
    answerClientError(failure(cause), socket);
    await new Promise((r) => setImmediate(r));
    const res = parse(written());
    expect(res.statusLine).toBe(statusLine);
    expect(res.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['Content-Length'])).toBe(Buffer.byteLength(JSON.stringify(res.body)));
    expect(res.body.error).toEqual({ code, message: expect.any(String), request_id: res.headers['X-Request-Id'] });
    expect(res.body.error.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(socket.destroyed).toBe(true);
  });

  it('writes nothing to a connection the client reset or that is gone', () => {
    const reset = fakeSocket();
    answerClientError(failure('ECONNRESET'), reset.socket);
    expect(reset.written()).toBe('');
    const gone = fakeSocket();
    gone.socket.destroy();
    answerClientError(failure('HPE_HEADER_OVERFLOW'), gone.socket);
    expect(gone.written()).toBe('');
  });
});
