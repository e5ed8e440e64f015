import { encodeHistogram, mergeEncodedHistograms, summarize } from '../metrics/histogram.js';
import type { FaultResult, FaultServerCounters } from './types.js';

/**
 * Combines the fault figures of repeated runs of one transport. Counts are
 * summed and the reconnect-time histograms merged exactly. The reconnect
 * rates are added interval by interval, each run starting at its first
 * fault, and the events of every run are kept in order.
 */
export function aggregateFaults(runs: readonly (FaultResult | undefined)[]): FaultResult | undefined {
  const faults = runs.filter((run): run is FaultResult => run !== undefined);
  if (faults.length <= 1) return faults[0];

  const histograms = faults.map((run) => run.reconnects.histogram).filter((encoded) => encoded.length > 0);
  const merged = mergeEncodedHistograms(histograms);
  const perInterval = addSeries(faults.map((run) => run.reconnects.perInterval));
  const last = faults[faults.length - 1];

  return {
    injected: last.injected,
    events: faults.flatMap((run) => run.events),
    reconnects: {
      disconnects: sum(faults, (run) => run.reconnects.disconnects),
      reconnects: sum(faults, (run) => run.reconnects.reconnects),
      stillDown: sum(faults, (run) => run.reconnects.stillDown),
      timeMs: summarize(merged),
      histogram: encodeHistogram(merged),
      intervalMs: last.reconnects.intervalMs,
      perInterval,
      peakPerInterval: perInterval.reduce((peak, count) => Math.max(peak, count), 0),
    },
    messagesLost: sum(faults, (run) => run.messagesLost),
    server: addServerCounters(faults.map((run) => run.server)),
    slowClients: last.slowClients && {
      ...last.slowClients,
      clients: sum(faults, (run) => run.slowClients?.clients ?? 0),
      connected: sum(faults, (run) => run.slowClients?.connected ?? 0),
      delivered: sum(faults, (run) => run.slowClients?.delivered ?? 0),
      duplicated: sum(faults, (run) => run.slowClients?.duplicated ?? 0),
      expected: sum(faults, (run) => run.slowClients?.expected ?? 0),
      lost: sum(faults, (run) => run.slowClients?.lost ?? 0),
      // NOTE: slow-client latency percentiles are those of the last run; the runs keep no slow-client histogram to merge.
    },
  };
}

function addSeries(series: readonly number[][]): number[] {
  const total: number[] = [];
  for (const counts of series) {
    counts.forEach((count, index) => {
      total[index] = (total[index] ?? 0) + count;
    });
  }
  return total;
}

function addServerCounters(counters: readonly FaultServerCounters[]): FaultServerCounters {
  const rejections: Record<string, number> = {};
  for (const item of counters) {
    for (const [reason, count] of Object.entries(item.rejections)) rejections[reason] = (rejections[reason] ?? 0) + count;
  }
  return {
    backpressureDrops: counters.reduce((total, item) => total + item.backpressureDrops, 0),
    backpressureCloses: counters.reduce((total, item) => total + item.backpressureCloses, 0),
    deadPeersClosed: counters.reduce((total, item) => total + item.deadPeersClosed, 0),
    acceptErrors: counters.reduce((total, item) => total + item.acceptErrors, 0),
    rejections,
  };
}

function sum(runs: readonly FaultResult[], pick: (run: FaultResult) => number): number {
  return runs.reduce((total, run) => total + pick(run), 0);
}
