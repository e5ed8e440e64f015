import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagedChild } from '../src/child/child-process.js';
import { serverStats, startServerChild } from '../src/driver/children.js';
import { DEFAULT_SERVER_SETTINGS, type ReferenceServerOptions } from '../src/server/reference-server.js';
import type { TransportName } from '../src/transports/types.js';
import { clientFrame, exchange, handshakeRequest, openSocket, openWebSocket, readCloseCode, statusOf } from './helpers/raw-http.js';

const ALLOWED_ORIGIN = 'http://allowed.example';
const MAX_PAYLOAD_BYTES = 1024;

interface HttpCase {
  name: string;
  request: string | Buffer;
  status: number;
  /** Key in the server's rejection counts. */
  reason: string;
}

function get(path: string, headers: Record<string, string> = {}): string {
  const lines = Object.entries({ Host: '127.0.0.1', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

const ROUTE: Record<TransportName, string> = { 'long-polling': '/poll', sse: '/events', websocket: '/ws' };

function commonCases(transport: TransportName): HttpCase[] {
  return [
    { name: 'unknown route', request: get('/no-such-route'), status: 404, reason: '404 unknown-route' },
    { name: 'URL above the length limit', request: get(`${ROUTE[transport]}?pad=${'a'.repeat(9000)}`), status: 414, reason: '414 url-too-long' },
    { name: 'header above the size limit', request: get(ROUTE[transport], { 'X-Pad': 'a'.repeat(20_000) }), status: 431, reason: '431 header-too-large' },
    { name: 'bytes that are not HTTP', request: Buffer.from('\u0000\u0001\u0002 hello\r\n\r\n', 'latin1'), status: 400, reason: '400 malformed-request HPE_INVALID_METHOD' },
    { name: 'header name with a space', request: `GET ${ROUTE[transport]} HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n`, status: 400, reason: '400 malformed-request HPE_INVALID_HEADER_TOKEN' },
    { name: 'two different Content-Length headers', request: `GET ${ROUTE[transport]} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`, status: 400, reason: '400 malformed-request HPE_UNEXPECTED_CONTENT_LENGTH' },
  ];
}

const TRANSPORT_CASES: Record<TransportName, HttpCase[]> = {
  'long-polling': [
    { name: 'cursor that is not a number', request: get('/poll?cursor=abc'), status: 400, reason: '400 invalid-cursor' },
    { name: 'negative cursor below -1', request: get('/poll?cursor=-7'), status: 400, reason: '400 invalid-cursor' },
    { name: 'POST with a JSON body', request: 'POST /poll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}', status: 405, reason: '405 method-not-allowed' },
  ],
  sse: [
    { name: 'Last-Event-ID that is not a number', request: get('/events', { 'Last-Event-ID': 'abc' }), status: 400, reason: '400 invalid-last-event-id' },
    { name: 'Origin outside the allowed list', request: get('/events', { Origin: 'http://evil.example' }), status: 403, reason: '403 origin-not-allowed' },
    { name: 'POST with a body that is not JSON', request: 'POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello', status: 405, reason: '405 method-not-allowed' },
  ],
  websocket: [
    { name: 'plain GET without upgrade', request: get('/ws'), status: 426, reason: '426 upgrade-required' },
    { name: 'handshake with an invalid key', request: handshakeRequest('/ws', { 'Sec-WebSocket-Key': 'short' }), status: 400, reason: '400 invalid-handshake' },
    { name: 'handshake with an unknown version', request: handshakeRequest('/ws', { 'Sec-WebSocket-Version': '7' }), status: 400, reason: '400 invalid-handshake' },
    { name: 'handshake from an Origin outside the list', request: handshakeRequest('/ws', { Origin: 'http://evil.example' }), status: 403, reason: '403 origin-not-allowed' },
    { name: 'handshake on an unknown route', request: handshakeRequest('/elsewhere'), status: 404, reason: '404 unknown-route' },
  ],
};

interface FrameCase {
  name: string;
  frame: () => Buffer;
  closeCode: number;
  reason: string;
}

const TEXT = 0x1;
const BINARY = 0x2;

/** RFC 6455 §7.4.1 close codes: 1002 protocol error, 1003 unsupported data, 1007 invalid payload, 1008 policy, 1009 too big. */
const FRAME_CASES: FrameCase[] = [
  { name: 'unmasked client frame', frame: () => clientFrame(TEXT, Buffer.from('{}'), { mask: false }), closeCode: 1002, reason: 'ws WS_ERR_EXPECTED_MASK' },
  { name: 'reserved opcode 0x3', frame: () => clientFrame(0x3, Buffer.from('x')), closeCode: 1002, reason: 'ws WS_ERR_INVALID_OPCODE' },
  { name: 'text frame with invalid UTF-8', frame: () => clientFrame(TEXT, Buffer.from([0xc3, 0x28])), closeCode: 1007, reason: 'ws WS_ERR_INVALID_UTF8' },
  { name: 'message above maxPayload', frame: () => clientFrame(TEXT, Buffer.alloc(0), { declaredLength: MAX_PAYLOAD_BYTES + 1 }), closeCode: 1009, reason: 'ws WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' },
  { name: 'binary message', frame: () => clientFrame(BINARY, Buffer.from([1, 2, 3])), closeCode: 1003, reason: '1003 binary-message' },
  { name: 'text that is not JSON', frame: () => clientFrame(TEXT, Buffer.from('hello')), closeCode: 1008, reason: '1008 invalid-json' },
  { name: 'JSON of an unknown type', frame: () => clientFrame(TEXT, Buffer.from('{"type":"subscribe"}')), closeCode: 1008, reason: '1008 unknown-message' },
  { name: 'resume with an invalid lastSeq', frame: () => clientFrame(TEXT, Buffer.from('{"type":"resume","lastSeq":"ten"}')), closeCode: 1008, reason: '1008 invalid-resume' },
];

function serverOptions(transport: TransportName, overrides: Partial<ReferenceServerOptions> = {}): ReferenceServerOptions {
  return { ...DEFAULT_SERVER_SETTINGS, transport, allowedOrigins: [ALLOWED_ORIGIN], maxPayloadBytes: MAX_PAYLOAD_BYTES, ...overrides };
}

/** Resolves with the status of a valid subscription request, proving the server still serves. */
async function validSubscriptionStatus(transport: TransportName, port: number): Promise<number> {
  if (transport === 'websocket') {
    const socket = await openWebSocket(port);
    socket.destroy();
    return 101;
  }
  const text = await exchange(port, get(transport === 'sse' ? '/events' : '/poll', { Origin: ALLOWED_ORIGIN }), 300);
  return statusOf(text);
}

describe.each(['long-polling', 'sse', 'websocket'] as const)('%s server under malformed input', (transport) => {
  let server: ManagedChild;
  let port: number;

  beforeAll(async () => {
    const started = await startServerChild(serverOptions(transport));
    server = started.child;
    port = started.ready.port;
  });

  afterAll(async () => {
    await server.stop();
  });

  it.each([...commonCases(transport), ...TRANSPORT_CASES[transport]])('answers $name with $status', async ({ request, status, reason }) => {
    const before = await serverStats(server);

    const answer = await exchange(port, request);
    const after = await serverStats(server);

    expect(statusOf(answer)).toBe(status);
    expect((after.counters.rejections[reason] ?? 0) - (before.counters.rejections[reason] ?? 0)).toBe(1);
    expect(after.counters.rejected - before.counters.rejected).toBe(1);
    expect(server.isRunning()).toBe(true);
  });

  it('still serves a valid subscriber afterwards', async () => {
    expect(await validSubscriptionStatus(transport, port)).toBe(transport === 'websocket' ? 101 : 200);
    expect(server.isRunning()).toBe(true);
  });
});

describe('websocket server under invalid frames', () => {
  let server: ManagedChild;
  let port: number;

  beforeAll(async () => {
    const started = await startServerChild(serverOptions('websocket'));
    server = started.child;
    port = started.ready.port;
  });

  afterAll(async () => {
    await server.stop();
  });

  it.each(FRAME_CASES)('closes on $name with $closeCode', async ({ frame, closeCode, reason }) => {
    const before = await serverStats(server);
    const socket = await openWebSocket(port);

    socket.write(frame());
    const code = await readCloseCode(socket);
    const after = await serverStats(server);

    expect(code).toBe(closeCode);
    expect((after.counters.rejections[reason] ?? 0) - (before.counters.rejections[reason] ?? 0)).toBe(1);
    expect(server.isRunning()).toBe(true);
  });

  it('returns its subscriber count to zero after the closes', async () => {
    const deadline = Date.now() + 2000;
    while ((await serverStats(server)).subscribers > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

    expect((await serverStats(server)).subscribers).toBe(0);
  });
});

describe('reference server timeouts and limits', () => {
  it('answers a slowloris client with 408 after the headers timeout', async () => {
    const { child, ready } = await startServerChild(serverOptions('sse', { headersTimeoutMs: 300 }));
    try {
      const socket = await openSocket(ready.port);
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
      });
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write('GET /events HTTP/1.1\r\nHost: x\r\n');
      const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 50);

      await closed;
      clearInterval(trickle);

      expect(statusOf(text)).toBe(408);
      expect((await serverStats(child)).counters.rejections['408 request-timeout']).toBe(1);
    } finally {
      await child.stop();
    }
  });

  it('answers connections above the limit with 503', async () => {
    const { child, ready } = await startServerChild(serverOptions('sse', { maxConnections: 3 }));
    const idle = await Promise.all([openSocket(ready.port), openSocket(ready.port), openSocket(ready.port)]);
    try {
      const answer = await exchange(ready.port, get('/events'));

      expect(statusOf(answer)).toBe(503);
      expect((await serverStats(child)).counters.rejections['503 connection-limit']).toBe(1);
    } finally {
      for (const socket of idle) socket.destroy();
      await child.stop();
    }
  });
});

describe.each([
  { transport: 'sse' as const, path: '/events' },
  { transport: 'long-polling' as const, path: '/poll?cursor=-1' },
])('$transport server with pipelined requests', ({ transport, path }) => {
  it('closes a connection that pipelines behind an open response', async () => {
    const { child, ready } = await startServerChild(serverOptions(transport));
    try {
      // Nothing is published, so the first response stays open: a stream, or a held poll.
      await exchange(ready.port, get(path).repeat(20));
      const stats = await serverStats(child);

      expect(stats.counters.rejections['closed pipelined-request']).toBe(1);
      expect(stats.subscribers).toBe(0);
      expect(stats.openConnections).toBe(0);
    } finally {
      await child.stop();
    }
  });
});
