import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadGenerator, type DeliveryResult } from '../src/driver/load-generator.js';
import { ServerGroup } from '../src/driver/server-group.js';
import { runTransport } from '../src/driver/transport-run.js';
import type { Schedule } from '../src/server/schedule.js';
import type { ProxyKind } from '../src/scenarios/topology.js';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import { HAS_NGINX, HAS_REDIS, shortRun, startTestRedis, type TestRedis } from './helpers/daemons.js';
import { waitFor } from './helpers/loopback.js';

describe.skipIf(!HAS_NGINX || !HAS_REDIS)('nginx in front of two instances', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(TRANSPORT_NAMES)('delivers every %s message', async (transport) => {
    const result = await runTransport(transport, shortRun({ instances: 2, bus: 'redis', redisUrl: redis.url, proxy: 'nginx', clients: 40 }));

    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.clients.connected).toBe(40);
    expect(result.messages.expected).toBe(40 * 20);
    expect(result.messages.delivered).toBe(40 * 20);
    expect(result.messages.lost).toBe(0);
    expect(result.messages.duplicated).toBe(0);
    expect(result.messages.outOfOrder).toBe(0);
    expect(result.topology?.nginx?.workers).toBeGreaterThan(0);
    expect(result.topology?.nginx?.lastErrorLogLine).toBeUndefined();
    expect(result.topology?.nginx?.errorLogLines).toBe(0);
    // Round-robin reaches both instances.
    for (const subscribers of result.topology?.subscribersPerInstance ?? []) expect(subscribers).toBeGreaterThan(0);
    expect(result.topology?.subscribersPerInstance).toHaveLength(2);
  });
});

/** Starts one sse or websocket instance behind nginx in the given mode. */
function startBehindNginx(transport: 'sse' | 'websocket', proxy: ProxyKind): Promise<ServerGroup> {
  return ServerGroup.start(transport, shortRun({ proxy }));
}

/** Publishes `count` messages at `rate`, connects `clients` subscribers through the group's proxy meanwhile, and collects `settleMs` after the last message was due. */
async function deliverThrough(group: ServerGroup, clients: number, rate: number, count: number, settleMs: number): Promise<{ connected: number; delivery: DeliveryResult }> {
  const generator = new LoadGenerator();
  try {
    const publishEndMs = Date.now() + (count / rate) * 1000;
    const schedule = await group.request<Schedule>('publish', { rate, count });
    generator.setWindow({ first: schedule.firstSeq, last: schedule.firstSeq + count - 1 });
    const connect = await generator.connect(
      { transport: group.transport, baseUrl: group.clientUrls[0], clients, rampRate: 1000, connectTimeoutMs: (count / rate) * 1000 },
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, publishEndMs + settleMs - Date.now()));
    return { connected: connect.connected, delivery: generator.collect() };
  } finally {
    generator.closeAll();
  }
}

/** Sends a WebSocket upgrade request and returns the status of nginx's response. */
function upgradeStatus(baseUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const upgrade = request(`${baseUrl}/ws`, {
      agent: false,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    upgrade.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    upgrade.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    upgrade.on('error', reject);
    upgrade.end();
  });
}

/**
 * What nginx's default proxy settings do to each transport, measured. The
 * defaults buffer responses (the reference server's X-Accel-Buffering: no
 * is ignored, as for a server that does not send it), talk HTTP/1.0 to
 * the instance and forward no Upgrade header.
 */
describe.skipIf(!HAS_NGINX)('nginx defaults', () => {
  it('hold SSE events until a buffer fills', async () => {
    const group = await startBehindNginx('sse', 'nginx-defaults');
    try {
      // 80 events of about 330 bytes at 20 per second: a 4 KiB or 8 KiB
      // proxy buffer fills only every 12 to 25 events.
      const { connected, delivery } = await deliverThrough(group, 10, 20, 80, 1500);

      expect(connected).toBe(10);
      // Direct delivery on loopback takes about a millisecond; a buffered
      // event waits for the events that fill its buffer.
      expect(delivery.latencyMs.p50).toBeGreaterThanOrEqual(100);
      // The last, partly filled buffer stays in nginx while the stream is open.
      expect(delivery.delivered).toBeGreaterThan(0);
      expect(delivery.delivered).toBeLessThan(10 * 80);
    } finally {
      await group.stop();
    }
  });

  it('hold the headers of a quiet SSE stream', async () => {
    const group = await startBehindNginx('sse', 'nginx-defaults');
    const generator = new LoadGenerator();
    try {
      // Nothing is published, so no event pushes the response headers out of the buffer.
      const connect = await generator.connect({ transport: 'sse', baseUrl: group.clientUrls[0], clients: 5, rampRate: 1000, connectTimeoutMs: 1500 }, () => undefined);

      expect(connect.connected).toBe(0);
      expect(connect.failed).toBe(5);
      expect(connect.errors).toEqual({ ETIMEDOUT: 5 });
    } finally {
      generator.closeAll();
      await group.stop();
    }
  });

  it('drop the WebSocket upgrade', async () => {
    const defaults = await startBehindNginx('websocket', 'nginx-defaults');
    const recommended = await startBehindNginx('websocket', 'nginx');
    try {
      // Without Upgrade the instance receives a plain GET on its WebSocket route and responds with 426.
      expect(await upgradeStatus(defaults.clientUrls[0])).toBe(426);
      expect(await upgradeStatus(recommended.clientUrls[0])).toBe(101);
    } finally {
      await defaults.stop();
      await recommended.stop();
    }
  });

  it('still deliver every long poll', async () => {
    const result = await runTransport('long-polling', shortRun({ proxy: 'nginx-defaults', clients: 20 }));

    expect(result.status).toBe('completed');
    expect(result.messages.delivered).toBe(20 * 20);
    expect(result.messages.lost).toBe(0);
    expect(result.messages.duplicated).toBe(0);
  });
});

describe.skipIf(!HAS_NGINX)('nginx process', () => {
  it('stops with its group', async () => {
    const group = await startBehindNginx('sse', 'nginx');
    const pid = group.nginx?.pid ?? -1;

    expect(group.nginx?.isRunning()).toBe(true);
    await group.stop();

    expect(await waitFor(() => !isAlive(pid), 5000)).toBe(true);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
