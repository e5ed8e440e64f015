import { describe, expect, it } from 'vitest';
import { aggregateRuns, median } from '../src/driver/aggregate.js';
import { emptyResult } from '../src/driver/result-builder.js';
import { createHistogram, encodeHistogram, recordNs, summarize } from '../src/metrics/histogram.js';
import type { TransportResult } from '../src/report/types.js';

function run(latenciesMs: number[], cpuPercent: number): TransportResult {
  const result = emptyResult('websocket', 'ws', 10);
  const histogram = createHistogram();
  for (const ms of latenciesMs) recordNs(histogram, ms * 1e6);
  result.status = 'completed';
  result.histogram = encodeHistogram(histogram);
  result.latencyMs = summarize(histogram);
  result.server.cpuPercent = cpuPercent;
  result.messages = { expected: latenciesMs.length, delivered: latenciesMs.length, lost: 0, duplicated: 0, outOfOrder: 0, windowMessages: 1 };
  return result;
}

describe('aggregateRuns', () => {
  it('takes the median and spread of each figure', () => {
    const combined = aggregateRuns([run([1], 10), run([1], 30), run([1], 20)]);

    expect(combined.server.cpuPercent).toBe(20);
    expect(combined.spread?.['server.cpuPercent']).toEqual({ median: 20, min: 10, max: 30 });
  });

  it('reads latency from the merged histogram of all runs', () => {
    const combined = aggregateRuns([run([10, 10, 10], 1), run([100], 1)]);

    expect(combined.latencyMs.count).toBe(4);
    expect(combined.latencyMs.max).toBeGreaterThanOrEqual(100);
    expect(combined.latencyMs.p50).toBeLessThan(10.01);
  });

  it('sums message counts over runs', () => {
    const combined = aggregateRuns([run([1, 2], 1), run([3], 1)]);

    expect(combined.messages.expected).toBe(3);
    expect(combined.messages.delivered).toBe(3);
  });

  it('marks the combination saturated when any run was', () => {
    const saturatedRun = run([1], 1);
    saturatedRun.generator.saturated = true;
    saturatedRun.generator.saturationReasons = ['busy'];

    const combined = aggregateRuns([run([1], 1), saturatedRun]);

    expect(combined.generator.saturated).toBe(true);
    expect(combined.generator.saturationReasons).toEqual(['busy']);
  });
});

describe('median', () => {
  it('averages the middle pair of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
