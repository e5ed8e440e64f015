import { findExecutable } from '../../src/child/executables.js';
import { DaemonGuard } from '../../src/child/daemon.js';
import { PrivateRedis } from '../../src/bus/redis-server.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/scenarios/settings.js';

/** Whether the external servers the scale-out tests start are installed. */
export const HAS_REDIS = findExecutable('redis-server') !== undefined;
export const HAS_NGINX = findExecutable('nginx') !== undefined;

/** A redis-server of the test's own on a free loopback port, with the guard that owns it. */
export interface TestRedis {
  redis: PrivateRedis;
  url: string;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const guard = await DaemonGuard.start();
  const redis = await PrivateRedis.start(guard);
  return {
    redis,
    url: redis.url,
    async stop() {
      await redis.stop();
      await guard.stop();
    },
  };
}

/** Settings for a short run: no floor, no single-instance comparison run, 1 s warm-up, 2 s window. */
export function shortRun(overrides: Partial<RunSettings>): RunSettings {
  return {
    ...DEFAULT_SETTINGS,
    clients: 40,
    rate: 10,
    warmupSec: 1,
    durationSec: 2,
    drainSec: 1,
    connectTimeoutSec: 10,
    floor: false,
    singleInstanceRun: false,
    ...overrides,
  };
}
