import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { aggregateRuns } from '../src/driver/aggregate.js';
import { InvalidExpressionError, ScenarioMismatchError } from '../src/errors.js';
import { compareReports, type Comparison } from '../src/report/compare.js';
import { parseTolerances } from '../src/report/tolerances.js';
import type { Report, TransportResult } from '../src/report/types.js';
import type { TransportName } from '../src/transports/types.js';
import { fakeIo } from './helpers/fake-io.js';
import { latencyRamp, makeReport, makeResult } from './helpers/report-factory.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-compare-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Builds a websocket result whose latencies are the 1–10 ms ramp times `factor`: p99 ≈ 9.9 ms × factor. */
function scaled(factor: number, transport: TransportName = 'websocket'): TransportResult {
  return makeResult(transport, { latenciesMs: latencyRamp(1, 10, 1000).map((latency) => latency * factor) });
}

/** Builds a report of repeated runs, aggregated the way `run --repeat` does. */
function repeated(factors: number[]): Report {
  const runs = factors.map((factor) => scaled(factor));
  return makeReport([aggregateRuns(runs)], { repeat: factors.length }, runs);
}

function check(comparison: Comparison, transport: string, figure: string) {
  const found = comparison.checks.find((row) => row.transport === transport && row.figure.name === figure);
  if (!found) throw new Error(`no check for ${transport} ${figure}`);
  return found;
}

const P99_20 = { tolerances: parseTolerances('latency.p99=20%'), allowScenarioChange: false, baselineName: 'baseline.json' };

describe('compare, single runs', () => {
  it('flags a 50% latency regression', () => {
    const comparison = compareReports(makeReport([scaled(1)]), makeReport([scaled(1.5)]), P99_20);

    const p99 = check(comparison, 'websocket', 'latency.p99');
    expect(p99.verdict).toBe('regression');
    expect(p99.deltaPercent).toBeGreaterThan(45);
    expect(p99.deltaPercent).toBeLessThan(55);
    expect(p99.detail).toContain('exceeds the tolerance 20%');
    expect(comparison.passed).toBe(false);
  });

  it('passes a 1% latency change', () => {
    const comparison = compareReports(makeReport([scaled(1)]), makeReport([scaled(1.01)]), P99_20);

    expect(check(comparison, 'websocket', 'latency.p99').verdict).toBe('pass');
    expect(check(comparison, 'websocket', 'latency.p99').change).toBe('worse');
    expect(comparison.passed).toBe(true);
  });

  it('passes an improvement of any size', () => {
    const comparison = compareReports(makeReport([scaled(1)]), makeReport([scaled(0.3)]), P99_20);

    expect(check(comparison, 'websocket', 'latency.p99').change).toBe('better');
    expect(comparison.passed).toBe(true);
  });

  it('flags a throughput drop where higher is better', () => {
    const baseline = makeReport([makeResult('sse', { deliveredPerSec: 1000 })]);
    const current = makeReport([makeResult('sse', { deliveredPerSec: 500 })]);

    const comparison = compareReports(baseline, current, { ...P99_20, tolerances: parseTolerances('throughput.deliveredPerSec=10%') });

    expect(check(comparison, 'sse', 'throughput.deliveredPerSec').verdict).toBe('regression');
    expect(check(comparison, 'sse', 'throughput.deliveredPerSec').change).toBe('worse');
  });

  it('applies an absolute tolerance', () => {
    const baseline = makeReport([makeResult('sse', { lost: 0 })]);
    const current = makeReport([makeResult('sse', { lost: 3 })]);

    const strict = compareReports(baseline, current, { ...P99_20, tolerances: parseTolerances('messages.lost=0') });
    const lenient = compareReports(baseline, current, { ...P99_20, tolerances: parseTolerances('messages.lost=5') });

    expect(check(strict, 'sse', 'messages.lost').verdict).toBe('regression');
    expect(check(lenient, 'sse', 'messages.lost').verdict).toBe('pass');
  });

  it('prefers a transport tolerance over *', () => {
    const baseline = makeReport([scaled(1, 'sse'), scaled(1, 'websocket')]);
    const current = makeReport([scaled(1.5, 'sse'), scaled(1.5, 'websocket')]);

    const comparison = compareReports(baseline, current, { ...P99_20, tolerances: parseTolerances('latency.p99=20%, sse.latency.p99=60%') });

    expect(check(comparison, 'sse', 'latency.p99').verdict).toBe('pass');
    expect(check(comparison, 'websocket', 'latency.p99').verdict).toBe('regression');
  });

  it('fails a checked figure the current run lacks', () => {
    const baseline = makeReport([makeResult('sse')]);
    const current = makeReport([makeResult('sse', { memoryPerConnectionBytes: null })]);

    const comparison = compareReports(baseline, current, { ...P99_20, tolerances: parseTolerances('server.memoryPerConnection=10%') });

    expect(check(comparison, 'sse', 'server.memoryPerConnection').verdict).toBe('not-measured');
    expect(comparison.passed).toBe(false);
  });
});

describe('compare, repeated runs', () => {
  it('calls a median inside the spread noise', () => {
    // Medians 10 → 13 (+30%, over the 20% tolerance), but 13 lies inside the baseline's range 8–16.
    const comparison = compareReports(repeated([0.8, 1.0, 1.6]), repeated([0.9, 1.3, 1.5]), P99_20);

    const p99 = check(comparison, 'websocket', 'latency.p99');
    expect(p99.baseline.runs).toBe(3);
    expect(p99.withinSpread).toBe(true);
    expect(p99.verdict).toBe('noise');
    expect(p99.detail).toContain('noise, not a regression');
    expect(comparison.passed).toBe(true);
  });

  it('compares the medians of the runs', () => {
    const comparison = compareReports(repeated([0.8, 1.0, 1.6]), repeated([0.9, 1.3, 1.5]), P99_20);

    const p99 = check(comparison, 'websocket', 'latency.p99');
    expect(p99.baseline.value).toBeCloseTo(scaled(1.0).latencyMs.p99, 6);
    expect(p99.current.value).toBeCloseTo(scaled(1.3).latencyMs.p99, 6);
  });

  it('flags a regression outside the spread', () => {
    const comparison = compareReports(repeated([0.95, 1.0, 1.05]), repeated([1.4, 1.5, 1.6]), P99_20);

    const p99 = check(comparison, 'websocket', 'latency.p99');
    expect(p99.withinSpread).toBe(false);
    expect(p99.verdict).toBe('regression');
    expect(comparison.passed).toBe(false);
  });

  it('flags a median outside both ranges', () => {
    // The ranges 7–15 and 14–31 overlap, but the median tripled: 10 → 30.
    const comparison = compareReports(repeated([0.7, 1.0, 1.5]), repeated([1.4, 3.0, 3.1]), P99_20);

    const p99 = check(comparison, 'websocket', 'latency.p99');
    expect(p99.withinSpread).toBe(false);
    expect(p99.verdict).toBe('regression');
  });

  it('flags the same medians without repeats', () => {
    const comparison = compareReports(makeReport([scaled(1.0)]), makeReport([scaled(1.3)]), P99_20);

    expect(check(comparison, 'websocket', 'latency.p99').verdict).toBe('regression');
  });

  it('uses a repeated baseline against a single run', () => {
    const comparison = compareReports(repeated([0.8, 1.0, 1.6]), makeReport([scaled(1.3)]), P99_20);

    expect(check(comparison, 'websocket', 'latency.p99').verdict).toBe('noise');
  });
});

describe('compare, scenario identity', () => {
  it('rejects a baseline of another workload', () => {
    const baseline = makeReport([scaled(1)], { clients: 1000 });
    const current = makeReport([scaled(1)], { clients: 200 });

    expect(() => compareReports(baseline, current, P99_20)).toThrow(ScenarioMismatchError);
    expect(() => compareReports(baseline, current, P99_20)).toThrow(/clients 1000 → 200.*--allow-scenario-change/);
  });

  it('compares another workload when allowed', () => {
    const baseline = makeReport([scaled(1)], { clients: 1000 });
    const current = makeReport([scaled(1)], { clients: 200 });

    const comparison = compareReports(baseline, current, { ...P99_20, allowScenarioChange: true });

    expect(comparison.workloadDifferences).toEqual(['clients 1000 → 200']);
  });

  it('ignores transports and repeat in the hash', () => {
    const baseline = makeReport([scaled(1)], { transports: ['websocket'], repeat: 1 });
    const current = makeReport([scaled(1)], { transports: ['sse', 'websocket'], repeat: 5 });

    expect(current.scenario.hash).toBe(baseline.scenario.hash);
  });
});

describe('--max-regression grammar', () => {
  it('parses relative and absolute tolerances', () => {
    const tolerances = parseTolerances('latency.p99=20%,ws.server.memoryPerConnection=2KB, messages.lost=0');

    expect(tolerances.map((tolerance) => [tolerance.target, tolerance.figure.name, tolerance.kind, tolerance.amount])).toEqual([
      ['*', 'latency.p99', 'relative', 20],
      ['websocket', 'server.memoryPerConnection', 'absolute', 2048],
      ['*', 'messages.lost', 'absolute', 0],
    ]);
  });

  it('rejects a missing = with its column', () => {
    expect(() => parseTolerances('latency.p99=20%,latency.p50 20%')).toThrow(InvalidExpressionError);
    expect(() => parseTolerances('latency.p99=20%,latency.p50 20%')).toThrow(/at column 29: expected "="/);
  });
});

describe('rtbench compare command', () => {
  function write(name: string, report: Report): string {
    const path = join(workDir, name);
    writeFileSync(path, JSON.stringify(report));
    return path;
  }

  it('exits 5 on a 50% latency regression', async () => {
    const io = fakeIo(workDir);
    const baseline = write('base.json', makeReport([scaled(1)]));
    const current = write('slow.json', makeReport([scaled(1.5)]));

    const code = await main(['compare', baseline, current, '--max-regression', 'latency.p99=20%'], io);

    expect(code).toBe(5);
    expect(io.err).toMatch(/^regression: websocket latency\.p99: 9\.\d+ ms → 14\.\d+ ms \(\+5\d\.\d%, worse\) exceeds the tolerance 20%$/m);
    expect(io.out).toContain('REGRESSION');
  });

  it('exits 0 on a 1% latency change', async () => {
    const io = fakeIo(workDir);
    const baseline = write('base.json', makeReport([scaled(1)]));
    const current = write('same.json', makeReport([scaled(1.01)]));

    const code = await main(['compare', baseline, current, '--max-regression', 'latency.p99=20%'], io);

    expect(code).toBe(0);
    expect(io.err).toBe('');
  });

  it('exits 2 on a scenario change', async () => {
    const io = fakeIo(workDir);
    const baseline = write('base-1000.json', makeReport([scaled(1)], { clients: 1000 }));
    const current = write('run-200.json', makeReport([scaled(1)], { clients: 200 }));

    const code = await main(['compare', baseline, current], io);

    expect(code).toBe(2);
    expect(io.err).toContain('measured another workload');
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on a file that is no report', async () => {
    const io = fakeIo(workDir);
    const path = join(workDir, 'not-a-report.json');
    writeFileSync(path, '{"hello": 1}');

    const code = await main(['compare', path, path], io);

    expect(code).toBe(2);
    expect(io.err).toContain('not an rtbench report');
  });
});
