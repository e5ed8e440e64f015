import { createHistogram, encodeHistogram, recordNs, summarize, type LatencySummary } from '../metrics/histogram.js';

/** Width of one interval of the reconnect-rate histogram, ms. */
export const RECONNECT_INTERVAL_MS = 100;

const INTERVAL_NS = BigInt(RECONNECT_INTERVAL_MS * 1_000_000);

/**
 * Outages kept for the report. Clients that are closed over and over (a
 * close policy against slow readers) start a new outage each time; the
 * oldest are dropped beyond this.
 */
const MAX_OUTAGES = 1000;

/** A period during which at least one subscriber was down, in process.hrtime.bigint() nanoseconds. */
export interface Outage {
  startNs: string;
  /** When the last subscriber down came back; null while some are still down. */
  endNs: string | null;
}

/** Load-generator figures about lost and re-established subscriptions. */
export interface ReconnectStats {
  disconnects: number;
  reconnects: number;
  /** Subscribers down when the stats were taken. */
  stillDown: number;
  /** Time from losing a subscription to having it again, ms. */
  reconnectTimeMs: LatencySummary;
  /** The same durations as an encoded HdrHistogram of microseconds, for merging runs. */
  reconnectHistogram: string;
  /** Reconnects per interval of RECONNECT_INTERVAL_MS, as [interval index on the monotonic clock, count], in order. */
  reconnectIntervals: [number, number][];
  outages: Outage[];
}

/**
 * Counts subscriptions that were lost and re-established across every
 * subscriber of one load generator. Its clock is process.hrtime.bigint(),
 * which the server and rtbench share on one host, so the times can be set
 * against the moment a fault was injected.
 */
export class ReconnectTracker {
  private down = 0;
  private disconnects = 0;
  private reconnects = 0;
  private readonly durations = createHistogram();
  private readonly intervals = new Map<number, number>();
  private readonly outages: Outage[] = [];

  disconnected(nowNs: bigint): void {
    this.disconnects++;
    if (this.down === 0) {
      this.outages.push({ startNs: String(nowNs), endNs: null });
      if (this.outages.length > MAX_OUTAGES) this.outages.shift();
    }
    this.down++;
  }

  reconnected(downNs: number, nowNs: bigint): void {
    this.reconnects++;
    recordNs(this.durations, downNs);
    const interval = Number(nowNs / INTERVAL_NS);
    this.intervals.set(interval, (this.intervals.get(interval) ?? 0) + 1);
    this.down = Math.max(0, this.down - 1);
    if (this.down === 0 && this.outages.length > 0) this.outages[this.outages.length - 1].endNs = String(nowNs);
  }

  stats(): ReconnectStats {
    return {
      disconnects: this.disconnects,
      reconnects: this.reconnects,
      stillDown: this.down,
      reconnectTimeMs: summarize(this.durations),
      reconnectHistogram: encodeHistogram(this.durations),
      reconnectIntervals: [...this.intervals.entries()].sort((a, b) => a[0] - b[0]),
      outages: this.outages.map((outage) => ({ ...outage })),
    };
  }
}
