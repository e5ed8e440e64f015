import { describe, expect, it } from 'vitest';
import { saturationReasons } from '../src/driver/saturation.js';
import { runTransport } from '../src/driver/transport-run.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../src/scenarios/settings.js';

const limits = { maxGeneratorLagMs: 50, maxGeneratorCpuPercent: 90, maxGeneratorUtilization: 0.75 };

describe('saturationReasons', () => {
  it('returns no reason for an idle generator', () => {
    expect(saturationReasons({ eventLoopDelayP99Ms: 2, cpuPercent: 10, eventLoopUtilization: 0.1 }, limits)).toEqual([]);
  });

  it('names the event-loop delay above the limit', () => {
    expect(saturationReasons({ eventLoopDelayP99Ms: 80, cpuPercent: 10, eventLoopUtilization: 0.1 }, limits)).toEqual([
      'generator event-loop delay p99 80.0 ms exceeds 50 ms',
    ]);
  });

  it('names CPU and utilization above their limits', () => {
    expect(saturationReasons({ eventLoopDelayP99Ms: 1, cpuPercent: 97, eventLoopUtilization: 0.9 }, limits)).toEqual([
      'generator CPU 97% of one core exceeds 90%',
      'generator event loop busy 90% of the window, above 75%',
    ]);
  });
});

const shortRun: RunSettings = {
  ...DEFAULT_SETTINGS,
  transports: ['websocket'],
  clients: 20,
  rate: 10,
  warmupSec: 0.5,
  durationSec: 2,
  drainSec: 0.5,
  floor: false,
};

describe('generator saturation guard', () => {
  it('marks a generator that busy-loops 20 ms of every 25 ms as saturated', async () => {
    const result = await runTransport('websocket', shortRun, { generatorOverrides: { busyLoop: { busyMs: 20, everyMs: 25 } } });

    expect(result.status).toBe('completed');
    expect(result.generator.saturated).toBe(true);
    expect(result.generator.saturationReasons.length).toBeGreaterThan(0);
  });

  it('does not mark an idle generator as saturated', async () => {
    const result = await runTransport('websocket', shortRun);

    expect(result.status).toBe('completed');
    expect(result.generator.saturated).toBe(false);
    expect(result.generator.saturationReasons).toEqual([]);
  });
});
