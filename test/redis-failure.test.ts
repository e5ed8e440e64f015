import { describe, expect, it } from 'vitest';
import { findFreePort } from '../src/child/executables.js';
import { runTransport } from '../src/driver/transport-run.js';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import { HAS_REDIS, shortRun, startTestRedis } from './helpers/daemons.js';

describe.skipIf(!HAS_REDIS)('redis killed mid-run', () => {
  it.each(TRANSPORT_NAMES)('fails the %s run with lost messages', async (transport) => {
    const redis = await startTestRedis();
    try {
      const startedMs = Date.now();
      const result = await runTransport(transport, shortRun({ instances: 2, bus: 'redis', redisUrl: redis.url, clients: 20, durationSec: 3 }), {
        onProgress: (event) => {
          // One second into the 3 s window.
          if (event.phase === 'measure' && event.secondsLeft === 2) redis.redis.daemon.kill();
        },
      });

      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('ERR_BUS_FAILED');
      expect(result.error?.message).toMatch(/^bus failure: instance \d lost its (subscriber|publisher) connection to Redis at redis:\/\/127\.0\.0\.1:\d+\/?.*; \d+ of 600 deliveries in the window were lost$/);
      expect(result.topology?.redis?.failure).toBeDefined();
      expect(result.messages.expected).toBe(20 * 30);
      expect(result.messages.delivered).toBeGreaterThan(0);
      expect(result.messages.lost).toBeGreaterThan(0);
      expect(result.messages.delivered + result.messages.lost).toBe(result.messages.expected);
      // The run ends on its own schedule (1 s warm-up, 3 s window, 1 s drain) plus start and stop, not at a timeout.
      expect(Date.now() - startedMs).toBeLessThan(30_000);
    } finally {
      await redis.stop();
    }
  });
});

describe('unreachable redis url', () => {
  it('fails the run at start', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await findFreePort();

    const result = await runTransport('sse', shortRun({ instances: 2, bus: 'redis', redisUrl: `redis://127.0.0.1:${port}`, clients: 5 }));

    expect(result.status).toBe('failed');
    expect(result.phase).toBe('setup');
    expect(result.error?.code).toBe('ERR_BUS_START');
    expect(result.error?.message).toContain(`cannot connect to Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
