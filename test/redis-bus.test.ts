import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTransport } from '../src/driver/transport-run.js';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import { rtbenchDaemonPids } from './helpers/daemon-pids.js';
import { HAS_REDIS, shortRun, startTestRedis, type TestRedis } from './helpers/daemons.js';

describe.skipIf(!HAS_REDIS)('two instances over redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(TRANSPORT_NAMES)('deliver every %s message once', async (transport) => {
    const result = await runTransport(transport, shortRun({ instances: 2, bus: 'redis', redisUrl: redis.url, clients: 40 }));

    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.clients.connected).toBe(40);
    expect(result.topology?.subscribersPerInstance).toEqual([20, 20]);
    expect(result.messages.windowMessages).toBe(20);
    expect(result.messages.expected).toBe(40 * 20);
    expect(result.messages.delivered).toBe(40 * 20);
    expect(result.messages.lost).toBe(0);
    expect(result.messages.duplicated).toBe(0);
    expect(result.messages.outOfOrder).toBe(0);
    expect(result.topology?.redis?.missedByInstances).toBe(0);
    expect(result.topology?.redis?.publishFailed).toBe(0);
    // Each instance records the hop of every window message.
    expect(result.topology?.redis?.hopMs.count).toBe(2 * 20);
  });
});

describe.skipIf(!HAS_REDIS)('private redis-server', () => {
  it('starts for the run and stops after it', async () => {
    const before = rtbenchDaemonPids();
    let during: number[] = [];

    const result = await runTransport('websocket', shortRun({ instances: 2, bus: 'redis', clients: 10, durationSec: 1 }), {
      onProgress: (event) => {
        if (event.phase === 'measure' && during.length === 0) during = rtbenchDaemonPids();
      },
    });

    expect(result.status).toBe('completed');
    expect(during.filter((pid) => !before.includes(pid))).toHaveLength(1);
    expect(result.topology?.redis?.private).toBe(true);
    expect(result.topology?.redis?.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(result.messages.lost).toBe(0);
    expect(rtbenchDaemonPids()).toEqual(before);
  });
});
