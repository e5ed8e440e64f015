import { emptyResult } from '../../src/driver/result-builder.js';
import { createHistogram, encodeHistogram, recordNs, summarize } from '../../src/metrics/histogram.js';
import { describeEnvironment } from '../../src/report/environment.js';
import { REPORT_SCHEMA_VERSION, type Report, type TransportResult } from '../../src/report/types.js';
import { scenarioIdentity } from '../../src/scenarios/identity.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/scenarios/settings.js';
import type { TransportName } from '../../src/transports/types.js';

export interface ResultFigures {
  /** Latencies recorded into the result's histogram, ms. */
  latenciesMs?: number[];
  memoryPerConnectionBytes?: number | null;
  deliveredPerSec?: number;
  lost?: number;
  clients?: number;
  connected?: number;
}

/**
 * Builds a completed result whose latency summary and encoded histogram come from
 * recording `latenciesMs` into a real HdrHistogram, as a run does.
 */
export function makeResult(transport: TransportName, figures: ResultFigures = {}): TransportResult {
  const clients = figures.clients ?? 100;
  const result = emptyResult(transport, 'test', clients);
  const histogram = createHistogram();
  for (const latencyMs of figures.latenciesMs ?? latencyRamp(1, 10, 1000)) recordNs(histogram, latencyMs * 1e6);

  result.status = 'completed';
  result.phase = 'done';
  result.clients = { target: clients, connected: figures.connected ?? clients, failed: clients - (figures.connected ?? clients), errors: {} };
  result.latencyMs = summarize(histogram);
  result.sendLagMs = { ...result.latencyMs, count: 10 };
  result.histogram = encodeHistogram(histogram);
  result.messages = { expected: histogram.totalCount + (figures.lost ?? 0), delivered: histogram.totalCount, lost: figures.lost ?? 0, duplicated: 0, outOfOrder: 0, windowMessages: 10 };
  result.throughput = { deliveredPerSec: figures.deliveredPerSec ?? 1000, publishedPerSec: 10 };
  result.server.memoryPerConnectionBytes = figures.memoryPerConnectionBytes === undefined ? 8192 : figures.memoryPerConnectionBytes;
  result.server.rssIdleBytes = 100 * 1024 * 1024;
  result.server.cpuPercent = 20;
  return result;
}

/** `count` latencies spread evenly from `fromMs` to `toMs`. */
export function latencyRamp(fromMs: number, toMs: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => fromMs + ((toMs - fromMs) * index) / Math.max(1, count - 1));
}

export function makeReport(results: TransportResult[], settings: Partial<RunSettings> = {}, runs?: TransportResult[]): Report {
  const fullSettings: RunSettings = { ...DEFAULT_SETTINGS, transports: results.map((result) => result.transport), ...settings };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'rtbench', version: '0.0.0-test' },
    command: ['rtbench', 'run'],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    status: 'completed',
    environment: describeEnvironment(),
    settings: fullSettings,
    scenario: scenarioIdentity(fullSettings),
    results,
    runs,
  };
}
