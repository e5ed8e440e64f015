import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ManagedChild } from '../src/child/child-process.js';
import { serverStats, startServerChild } from '../src/driver/children.js';
import { DEFAULT_SERVER_SETTINGS } from '../src/server/reference-server.js';
import type { TransportName } from '../src/transports/types.js';
import { openSocket, openWebSocket, statusOf } from './helpers/raw-http.js';

const HEARTBEAT_MS = 1000;
const SOCKETS = 500;

/** Opens one subscription with a raw socket and resolves once the server has registered it. */
async function subscribe(transport: TransportName, port: number): Promise<Socket> {
  if (transport === 'websocket') return openWebSocket(port);
  const socket = await openSocket(port);
  if (transport === 'long-polling') {
    // Nothing was published, so a poll from cursor -1 is held.
    socket.write('GET /poll?cursor=-1 HTTP/1.1\r\nHost: x\r\n\r\n');
    return socket;
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('data', (chunk: Buffer) => (statusOf(chunk.toString('latin1')) === 200 ? resolve() : reject(new Error('SSE subscription refused'))));
    socket.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  return socket;
}

async function waitForSubscribers(server: ManagedChild, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await serverStats(server)).subscribers === expected) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(['long-polling', 'sse', 'websocket'] as const)('%s server after abrupt disconnects', (transport) => {
  it(`returns to zero subscribers within one heartbeat after ${SOCKETS} resets`, async () => {
    const { child: server, ready } = await startServerChild({ ...DEFAULT_SERVER_SETTINGS, transport, heartbeatMs: HEARTBEAT_MS });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < SOCKETS; i++) sockets.push(await subscribe(transport, ready.port));
      expect(await waitForSubscribers(server, SOCKETS, 5000)).toBe(true);

      // An RST, not a FIN: the peer is gone without a goodbye.
      for (const socket of sockets) socket.resetAndDestroy();

      expect(await waitForSubscribers(server, 0, HEARTBEAT_MS)).toBe(true);
      expect((await serverStats(server)).openConnections).toBe(0);
      expect(server.isRunning()).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.stop();
    }
  });
});

describe('websocket server heartbeat', () => {
  it('closes peers that stop answering pings', async () => {
    const peers = 20;
    const { child: server, ready } = await startServerChild({ ...DEFAULT_SERVER_SETTINGS, transport: 'websocket', heartbeatMs: 200 });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < peers; i++) {
        const socket = await openWebSocket(ready.port);
        // The raw socket reads nothing and never replies to a ping with a pong, like a peer that hangs.
        socket.pause();
        sockets.push(socket);
      }

      expect(await waitForSubscribers(server, 0, 2000)).toBe(true);
      expect((await serverStats(server)).counters.deadPeersClosed).toBe(peers);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.stop();
    }
  });
});

describe('sse server heartbeat', () => {
  it('closes a peer whose kernel accepted nothing for a whole interval', async () => {
    const { child: server, ready } = await startServerChild({
      ...DEFAULT_SERVER_SETTINGS,
      transport: 'sse',
      heartbeatMs: 300,
      payloadBytes: 64 * 1024,
      historySize: 16,
    });
    const socket = await subscribe('sse', ready.port);
    try {
      // The peer stops reading: once the kernel buffers are full, bytes wait in the server and none leave.
      socket.pause();
      await server.request('publish', { rate: 200, count: 600 });

      const deadline = Date.now() + 5000;
      while ((await serverStats(server)).counters.deadPeersClosed === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

      const stats = await serverStats(server);
      expect(stats.counters.deadPeersClosed).toBe(1);
      expect(stats.subscribers).toBe(0);
    } finally {
      socket.destroy();
      await server.stop();
    }
  });
});
