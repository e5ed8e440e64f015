import { aggregateFaults } from '../faults/aggregate-faults.js';
import { encodeHistogram, mergeEncodedHistograms, summarize } from '../metrics/histogram.js';
import type { Spread, TransportResult } from '../report/types.js';

/** Figures that get a median and a min-max spread across repeats, by path in TransportResult. */
export const SPREAD_FIGURES = [
  'latencyMs.p50',
  'latencyMs.p90',
  'latencyMs.p99',
  'latencyMs.p999',
  'latencyMs.max',
  'sendLagMs.p99',
  'messages.lost',
  'throughput.deliveredPerSec',
  'connectTimeMs.allConnected',
  'server.memoryPerConnectionBytes',
  'server.cpuPercent',
  'server.fanOutMs.p99',
  'generator.rssPerClientBytes',
  'generator.cpuPercent',
  'generator.eventLoopDelayP99Ms',
] as const;

export function readPath(object: unknown, path: string): number | null {
  let value: unknown = object;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function writePath(object: unknown, path: string, value: number): void {
  const keys = path.split('.');
  let target = object as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]] = value;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Combines repeated runs of one transport. Each spread figure becomes the
 * median of the runs with its min-max spread, and message counts are
 * summed. The latency histogram is the exact merge of every run's
 * histogram, and `latencyMs` is read from that merge.
 */
export function aggregateRuns(runs: readonly TransportResult[]): TransportResult {
  if (runs.length === 1) return runs[0];
  const combined: TransportResult = structuredClone(runs[runs.length - 1]);
  const spread: Record<string, Spread> = {};

  for (const path of SPREAD_FIGURES) {
    const values = runs.map((run) => readPath(run, path)).filter((value): value is number => value !== null);
    if (values.length === 0) continue;
    spread[path] = { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  }

  combined.messages = {
    expected: sum(runs, (run) => run.messages.expected),
    delivered: sum(runs, (run) => run.messages.delivered),
    lost: sum(runs, (run) => run.messages.lost),
    duplicated: sum(runs, (run) => run.messages.duplicated),
    outOfOrder: sum(runs, (run) => run.messages.outOfOrder),
    windowMessages: sum(runs, (run) => run.messages.windowMessages),
  };
  for (const [path, figure] of Object.entries(spread)) {
    if (!path.startsWith('latencyMs.') && !path.startsWith('messages.')) writePath(combined, path, figure.median);
  }

  const histograms = runs.map((run) => run.histogram).filter((encoded) => encoded.length > 0);
  if (histograms.length > 0) {
    const merged = mergeEncodedHistograms(histograms);
    combined.histogram = encodeHistogram(merged);
    combined.latencyMs = summarize(merged);
  }
  combined.generator.saturated = runs.some((run) => run.generator.saturated);
  combined.generator.saturationReasons = runs.flatMap((run) => run.generator.saturationReasons);
  combined.status = runs.every((run) => run.status === 'completed') ? 'completed' : runs.find((run) => run.status !== 'completed')!.status;
  combined.durationMs = sum(runs, (run) => run.durationMs);
  combined.faults = aggregateFaults(runs.map((run) => run.faults));
  combined.spread = spread;
  return combined;
}

function sum(runs: readonly TransportResult[], pick: (run: TransportResult) => number): number {
  return runs.reduce((total, run) => total + pick(run), 0);
}
