import type { ServerCounters } from '../transports/types.js';
import { RECONNECT_INTERVAL_MS, type Outage } from './reconnect-tracker.js';
import type { FaultSettings } from './settings.js';
import type { FaultEvent, FaultResult, FaultServerCounters, GeneratorFaultStats } from './types.js';

/** A fault as the runner recorded it, on the monotonic clock that every process of a run shares. */
export interface RecordedFault {
  kind: FaultEvent['kind'];
  atNs: bigint;
  connectionsClosed: number | null;
  downtimeMs?: number;
}

/** Intervals of the reconnect-rate histogram kept in the report: 5 minutes of 100 ms. */
const MAX_INTERVALS = 3000;

const INTERVAL_NS = BigInt(RECONNECT_INTERVAL_MS) * 1_000_000n;

export interface FaultResultInput {
  faults: FaultSettings;
  recorded: readonly RecordedFault[];
  /** When publishing started, process.hrtime.bigint(). */
  scheduleStartNs: bigint;
  stats: GeneratorFaultStats;
  counters: ServerCounters;
  /** Messages due in the measured window, per subscriber. */
  windowMessages: number;
}

/** Builds the report's `faults` object from what the runner, the generator and the server recorded. */
export function buildFaultResult(input: FaultResultInput): FaultResult {
  const { faults, recorded, stats } = input;
  const reconnect = stats.reconnect;
  const perInterval = intervalsFrom(reconnect.reconnectIntervals, recorded[0]?.atNs);

  return {
    injected: {
      drop: faults.drop,
      restartAtSec: faults.restartAtSec,
      slowClientFraction: faults.slowClients.fraction,
      wsResume: faults.wsResume,
    },
    events: recorded.map((fault, index) => toEvent(fault, recorded[index + 1]?.atNs, input)),
    reconnects: {
      disconnects: reconnect.disconnects,
      reconnects: reconnect.reconnects,
      stillDown: reconnect.stillDown,
      timeMs: reconnect.reconnectTimeMs,
      histogram: reconnect.reconnectHistogram,
      intervalMs: RECONNECT_INTERVAL_MS,
      perInterval,
      peakPerInterval: perInterval.reduce((peak, count) => Math.max(peak, count), 0),
    },
    messagesLost: stats.lostAcrossFaults,
    server: serverCounters(input.counters),
    slowClients: stats.slowClients && {
      ...stats.slowClients,
      expected: input.windowMessages * stats.slowClients.connected,
      lost: Math.max(0, input.windowMessages * stats.slowClients.connected - stats.slowClients.delivered),
    },
  };
}

export function serverCounters(counters: ServerCounters): FaultServerCounters {
  return {
    backpressureDrops: counters.backpressureDrops,
    backpressureCloses: counters.backpressureCloses,
    deadPeersClosed: counters.deadPeersClosed,
    acceptErrors: counters.acceptErrors,
    rejections: { ...counters.rejections },
  };
}

function toEvent(fault: RecordedFault, nextAtNs: bigint | undefined, input: FaultResultInput): FaultEvent {
  const event: FaultEvent = {
    kind: fault.kind,
    atMs: nsToMs(fault.atNs - input.scheduleStartNs),
    connectionsClosed: fault.connectionsClosed,
    allBackMs: allBackMs(input.stats.reconnect.outages, fault.atNs, nextAtNs),
  };
  if (fault.downtimeMs !== undefined) event.downtimeMs = fault.downtimeMs;
  return event;
}

/**
 * Time from a fault until no client was down. Every outage that overlaps
 * the time from this fault to the next one counts, including one that
 * began earlier and was still going on.
 */
function allBackMs(outages: readonly Outage[], atNs: bigint, nextAtNs: bigint | undefined): number | null {
  let lastEndNs: bigint | undefined;
  for (const outage of outages) {
    const startNs = BigInt(outage.startNs);
    if (nextAtNs !== undefined && startNs >= nextAtNs) continue;
    if (outage.endNs === null) return null;
    const endNs = BigInt(outage.endNs);
    if (endNs < atNs) continue;
    if (lastEndNs === undefined || endNs > lastEndNs) lastEndNs = endNs;
  }
  return lastEndNs === undefined ? null : nsToMs(lastEndNs - atNs);
}

/**
 * Dense reconnect counts per interval, from the interval of the first
 * fault (or of the first reconnect when only slow clients were injected)
 * to the last reconnect.
 */
function intervalsFrom(intervals: readonly [number, number][], firstFaultNs: bigint | undefined): number[] {
  if (intervals.length === 0) return [];
  const first = firstFaultNs === undefined ? intervals[0][0] : Number(firstFaultNs / INTERVAL_NS);
  const counts: number[] = [];
  for (const [interval, count] of intervals) {
    const offset = interval - first;
    if (offset < 0 || offset >= MAX_INTERVALS) continue;
    while (counts.length <= offset) counts.push(0);
    counts[offset] += count;
  }
  return counts;
}

function nsToMs(ns: bigint): number {
  return Math.round(Number(ns) / 1000) / 1000;
}
