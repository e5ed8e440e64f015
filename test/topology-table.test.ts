import { describe, expect, it } from 'vitest';
import { attachSingleInstance } from '../src/driver/topology-run.js';
import { renderComparisonTable, renderWarnings } from '../src/report/table.js';
import type { TopologyResult } from '../src/report/topology.js';
import { latencyRamp, makeReport, makeResult } from './helpers/report-factory.js';

function topology(overrides: Partial<TopologyResult> = {}): TopologyResult {
  return {
    instances: 2,
    bus: 'redis',
    proxy: 'nginx',
    subscribersPerInstance: [50, 50],
    redis: {
      url: 'redis://127.0.0.1:6379',
      private: true,
      hopMs: { count: 40, p50: 0.8, p90: 1, p99: 2.5, p999: 3, max: 3, mean: 1 },
      published: 60,
      publishFailed: 0,
      missedByInstances: 0,
      rssBytes: 12 * 1024 * 1024,
      cpuPercent: 0.5,
    },
    nginx: { workers: 2, workerConnections: 1024, errorLogLines: 0, rssBytes: 20 * 1024 * 1024, cpuPercent: 3 },
    ...overrides,
  };
}

/** Returns the cells of the row labelled `label`, one per transport. */
function row(table: string, label: string): string[] {
  const line = table.split('\n').find((text) => text.includes(`  ${label}`));
  if (!line) return [];
  return line.split('│').slice(2, -1).map((cell) => cell.trim());
}

describe('scale-out table section', () => {
  it('is absent without topology', () => {
    const table = renderComparisonTable(makeReport([makeResult('sse')]), { color: false });

    expect(table).not.toContain('Scale-out');
  });

  it('shows instances, bus and proxy', () => {
    const result = { ...makeResult('sse'), topology: topology() };

    const table = renderComparisonTable(makeReport([result]), { color: false });

    expect(table).toContain('Scale-out: instances, bus and proxy');
    expect(row(table, 'instances (subscribers each)')).toEqual(['2 (50 / 50)']);
    expect(row(table, 'bus ')).toEqual(['redis, private']);
    expect(row(table, 'proxy')).toEqual(['nginx, 2 workers']);
    expect(row(table, 'bus hop p99 (ms)')).toEqual(['2.50']);
    expect(row(table, 'Redis RSS (MiB)')).toEqual(['12.0']);
    expect(row(table, '1 instance, no bus/proxy: p50 (ms)')).toEqual(['not run']);
  });

  it('shows the latency added over one instance', () => {
    const scaled = { ...makeResult('websocket', { latenciesMs: latencyRamp(5, 15, 1000) }), topology: topology() };
    const single = makeResult('websocket', { latenciesMs: latencyRamp(1, 11, 1000) });

    attachSingleInstance(scaled, single);
    const table = renderComparisonTable(makeReport([scaled]), { color: false });

    expect(scaled.topology.singleInstance?.result).toBe(single);
    expect(scaled.topology.addedLatencyMs?.p50).toBeCloseTo(scaled.latencyMs.p50 - single.latencyMs.p50, 3);
    expect(row(table, 'added latency p50 (ms)')[0]).toMatch(/^\+4\.\d\d$/);
  });

  it('warns about nginx error log lines', () => {
    const lastErrorLogLine = '2026/01/01 00:00:00 [alert] 7#7: 1024 worker_connections are not enough';
    const result = { ...makeResult('sse'), topology: topology({ nginx: { workers: 2, workerConnections: 1024, errorLogLines: 3, lastErrorLogLine, rssBytes: null, cpuPercent: null } }) };

    const warnings = renderWarnings(makeReport([result]), { color: false });

    expect(warnings).toContain(`warning: sse: nginx logged 3 lines at warn level or above, the last: ${lastErrorLogLine}`);
  });
});
