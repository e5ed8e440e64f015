import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ManagedChild } from '../src/child/child-process.js';
import { serverStats, startServerChild } from '../src/driver/children.js';
import { LoadGenerator } from '../src/driver/load-generator.js';
import { sampleProcess } from '../src/metrics/proc-stats.js';
import { DEFAULT_SERVER_SETTINGS, type ReferenceServerOptions } from '../src/server/reference-server.js';
import type { BackpressurePolicy } from '../src/server/limits.js';
import type { Schedule } from '../src/server/schedule.js';
import type { TransportName } from '../src/transports/types.js';
import { openSocket, openWebSocket } from './helpers/raw-http.js';
import { waitFor } from './helpers/loopback.js';

const MIB = 1024 * 1024;
const PAYLOAD_BYTES = 64 * 1024;
const RATE = 300;
const COUNT = 900;
const SLOW_CLIENTS = 4;
const HEALTHY_CLIENTS = 2;
const SEND_BUFFER_LIMIT = 1024 * 1024;

/**
 * What the stalled clients may add to the server's peak RSS. The exact
 * check is RETAINED_BOUND. The peak RSS also moves with the garbage of
 * 19 MB/s of messages: it grew by up to 29 MiB in a round whose stalled
 * clients retained under 1.2 MB (2-core Linux VM, Node 20). Without
 * the limit the stalled clients hold every message of the round that the
 * kernel did not take, 33 to 55 MiB, and the peak grew by 31 to 69 MiB.
 */
const RSS_GROWTH_BOUND = 48 * MIB;

/** Queued writes the server may retain for the stalled clients: their send buffers and one message each (measured: at most 1.2 MB). */
const RETAINED_BOUND = SLOW_CLIENTS * (SEND_BUFFER_LIMIT + 2 * PAYLOAD_BYTES);

function serverOptions(transport: TransportName, policy: BackpressurePolicy): ReferenceServerOptions {
  return {
    ...DEFAULT_SERVER_SETTINGS,
    transport,
    payloadBytes: PAYLOAD_BYTES,
    historySize: 128,
    sendBufferLimitBytes: SEND_BUFFER_LIMIT,
    backpressurePolicy: policy,
  };
}

/** Opens a client that subscribes and then never reads a byte. */
async function openStalledClient(transport: TransportName, port: number): Promise<Socket> {
  const socket = transport === 'websocket' ? await openWebSocket(port) : await openSocket(port);
  if (transport === 'sse') socket.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
  // Polls pipelined without reading the responses, the worst a long-poll client can do.
  if (transport === 'long-polling') socket.write('GET /poll?cursor=-1 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(50));
  socket.pause();
  return socket;
}

interface SlowRun {
  /** Growth of the server's peak RSS while the stalled clients were connected, over its peak with healthy clients alone. */
  rssPeakGrowthBytes: number;
  /** Memory outside the V8 heap, where queued writes live, held after a GC while the stalled clients are still connected. */
  retainedBytes: number;
  healthyDelivered: number;
  drops: number;
  closes: number;
}

/** Publishes COUNT messages at RATE and waits until the healthy clients have them. */
async function publishRound(server: ManagedChild, generator: LoadGenerator, round: number): Promise<void> {
  await server.request<Schedule>('publish', { rate: RATE, count: COUNT });
  await waitFor(() => generator.delivery.delivered >= HEALTHY_CLIENTS * COUNT * round, (COUNT / RATE) * 1000 + 5000);
}

/**
 * Publishes two rounds of 3 s of 64 KiB messages at 300/s to two healthy
 * clients: the first alone, which sets the peak RSS that this load needs,
 * the second with four clients that never read. The difference in peak RSS
 * is what the stalled clients cost.
 */
async function publishPastStalledClients(transport: TransportName, policy: BackpressurePolicy): Promise<SlowRun> {
  const { child: server, ready } = await startServerChild(serverOptions(transport, policy));
  const generator = new LoadGenerator();
  const stalled: Socket[] = [];
  try {
    await generator.connect({ transport, baseUrl: ready.url, clients: HEALTHY_CLIENTS, rampRate: 1000, connectTimeoutMs: 5000 }, () => undefined);
    // A fresh server publishes from sequence number 0; the window is set first so the first message counts.
    generator.setWindow({ first: 0, last: 2 * COUNT - 1 });
    await publishRound(server, generator, 1);
    const baseStats = await serverStats(server, true);
    const healthyPeak = sampleProcess(server.pid)?.rssPeakBytes ?? 0;

    for (let i = 0; i < SLOW_CLIENTS; i++) stalled.push(await openStalledClient(transport, ready.port));
    await publishRound(server, generator, 2);

    const stats = await serverStats(server);
    const afterGc = await serverStats(server, true);
    return {
      rssPeakGrowthBytes: (sampleProcess(server.pid)?.rssPeakBytes ?? 0) - healthyPeak,
      retainedBytes: afterGc.externalBytes - baseStats.externalBytes,
      healthyDelivered: generator.delivery.delivered,
      drops: stats.counters.backpressureDrops,
      closes: stats.counters.backpressureCloses,
    };
  } finally {
    generator.closeAll();
    for (const socket of stalled) socket.destroy();
    await server.stop();
  }
}

describe.each(['sse', 'websocket'] as const)('%s server with clients that stop reading', (transport) => {
  it('drops their messages and keeps its RSS bounded', async () => {
    const run = await publishPastStalledClients(transport, 'drop');

    expect(run.rssPeakGrowthBytes).toBeLessThan(RSS_GROWTH_BOUND);
    expect(run.retainedBytes).toBeLessThan(RETAINED_BOUND);
    expect(run.healthyDelivered).toBe(2 * HEALTHY_CLIENTS * COUNT);
    expect(run.drops).toBeGreaterThan(0);
    expect(run.closes).toBe(0);
  });

  it('closes them under the close policy', async () => {
    const run = await publishPastStalledClients(transport, 'close');

    expect(run.rssPeakGrowthBytes).toBeLessThan(RSS_GROWTH_BOUND);
    expect(run.retainedBytes).toBeLessThan(RETAINED_BOUND);
    expect(run.healthyDelivered).toBe(2 * HEALTHY_CLIENTS * COUNT);
    expect(run.closes).toBe(SLOW_CLIENTS);
  });
});

describe('long-polling server with clients that stop reading', () => {
  it('keeps its RSS bounded without dropping anything', async () => {
    const run = await publishPastStalledClients('long-polling', 'drop');

    expect(run.rssPeakGrowthBytes).toBeLessThan(RSS_GROWTH_BOUND);
    expect(run.retainedBytes).toBeLessThan(RETAINED_BOUND);
    expect(run.healthyDelivered).toBe(2 * HEALTHY_CLIENTS * COUNT);
  });
});
