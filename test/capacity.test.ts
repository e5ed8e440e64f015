import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { searchCapacity } from '../src/capacity/search.js';
import type { CapacityStep, SearchPlan } from '../src/capacity/types.js';
import { main } from '../src/cli/main.js';
import type { Report } from '../src/report/types.js';
import { fakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-capacity-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const PLAN: SearchPlan = { dimension: 'clients', start: 100, factor: 2, tolerance: 0.1, upperBound: 10_000, lowerBound: 1, maxSteps: 20 };

/** Builds a measure function that passes up to `limit`, to test the search logic without runs. */
function stepUpTo(limit: number): (load: number) => Promise<CapacityStep> {
  return async (load) => ({
    load,
    passed: load <= limit,
    failures: load <= limit ? [] : ['over the limit'],
    latencyP50Ms: 1,
    latencyP99Ms: 1,
    deliveredPerSec: load,
    lost: 0,
    serverCpuPercent: null,
    serverRssPeakBytes: null,
    generatorSaturated: false,
  });
}

describe('capacity search', () => {
  it('brackets upwards, then bisects', async () => {
    const found = await searchCapacity('sse', PLAN, stepUpTo(1234));

    // 100 to 800 pass and 1600 fails; 1200 passes, 1400 and 1300 fail, and 100 ≤ 10% of 1200 ends it.
    expect(found.points.map((step) => step.load)).toEqual([100, 200, 400, 800, 1200, 1300, 1400, 1600]);
    expect(found.maximum).toBe(1200);
    expect(found.firstFailure).toBe(1300);
    expect(found.end).toBe('bisected');
  });

  it('steps down when the first load fails', async () => {
    const found = await searchCapacity('sse', PLAN, stepUpTo(30));

    // 100 and 50 fail, 25 passes; 38 and 32 fail, 29 passes, 31 fails, and 2 ≤ 10% of 29 ends it.
    expect(found.points.map((step) => step.load)).toEqual([25, 29, 31, 32, 38, 50, 100]);
    expect(found.maximum).toBe(29);
    expect(found.firstFailure).toBe(31);
  });

  it('stops at the upper bound', async () => {
    const found = await searchCapacity('sse', { ...PLAN, upperBound: 700 }, stepUpTo(5000));

    expect(found.points.map((step) => step.load)).toEqual([100, 200, 400, 700]);
    expect(found.maximum).toBe(700);
    expect(found.firstFailure).toBeNull();
    expect(found.end).toBe('upper-bound');
  });

  it('reports no maximum at the lower bound', async () => {
    const found = await searchCapacity('sse', { ...PLAN, start: 4 }, stepUpTo(0));

    expect(found.points.map((step) => step.load)).toEqual([1, 2, 4]);
    expect(found.maximum).toBeNull();
    expect(found.end).toBe('lower-bound');
  });

  it('stops after the step budget', async () => {
    const found = await searchCapacity('sse', { ...PLAN, maxSteps: 3 }, stepUpTo(5000));

    expect(found.points).toHaveLength(3);
    expect(found.end).toBe('max-steps');
  });
});

describe('rtbench capacity', () => {
  it('finds an injected per-message cost limit', async () => {
    // Every message costs the server 5 ms per subscriber before its
    // fan-out, so each delivery waits at least 5 ms × clients: 250 ms, the
    // default p99 limit, is reached at 50 clients. Loads above 50 fail
    // whatever the machine does; loads below pass unless it adds more
    // than 5 ms per missing client.
    const knownLimit = 50;
    const io = fakeIo(workDir);
    const out = join(workDir, 'capacity.json');

    const code = await main(
      ['capacity', '--transports', 'websocket', '--inject-cost-us', '5000', '--start', '16', '--rate', '2',
        '--warmup', '1', '--duration', '2', '--drain', '0.5', '--quiet', '--out', out],
      io,
    );

    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const found = report.capacity!.curves[0];
    const lastStep = found.firstFailure! - found.maximum!;
    expect(found.end).toBe('bisected');
    expect(found.maximum).toBeLessThanOrEqual(knownLimit);
    expect(knownLimit - found.maximum!).toBeLessThanOrEqual(lastStep);
    expect(lastStep).toBeLessThanOrEqual(Math.max(1, 0.1 * found.maximum!));
    expect(report.results.map((result) => result.clients.target)).toEqual([found.maximum]);
    for (const step of found.points) {
      expect(step.passed).toBe(step.load <= found.maximum!);
      expect(step.serverCpuPercent).not.toBeNull();
      expect(step.serverRssPeakBytes).toBeGreaterThan(0);
    }
  });

  it('rejects --clients when it searches clients', async () => {
    const io = fakeIo(workDir);

    const code = await main(['capacity', '--clients', '100'], io);

    expect(code).toBe(2);
    expect(io.err).toBe('rtbench: --clients sets a fixed client count, but --dimension clients searches it: give the first count with --start\n');
  });
});
