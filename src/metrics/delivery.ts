import { createHistogram, recordNs, type Histogram } from './histogram.js';
import type { SeqRange } from '../server/schedule.js';

/** Gaps wider than this are not remembered per subscriber; a late arrival from one counts as a duplicate. */
const MAX_REMEMBERED_GAP = 10_000;

/** What one received message turned out to be, for one subscriber. */
export type Arrival = 'new' | 'late' | 'duplicate';

/**
 * Per-subscriber sequence check. It keeps the highest sequence number seen
 * and, only after a jump, the set of numbers skipped, so a message that
 * arrives after a higher one is told apart from a duplicate.
 */
export class SequenceTracker {
  private highest = -1;
  private missing: Set<number> | undefined;

  observe(seq: number): Arrival {
    if (seq > this.highest) {
      if (this.highest >= 0 && seq > this.highest + 1) this.rememberGap(this.highest + 1, seq - 1);
      this.highest = seq;
      return 'new';
    }
    if (this.missing?.delete(seq)) return 'late';
    return 'duplicate';
  }

  /** The highest sequence number received; -1 before the first. */
  get highestSeq(): number {
    return this.highest;
  }

  /**
   * How many of the sequence numbers first..last never arrived. A gap too
   * wide to remember counts whole, because a late arrival from it cannot be
   * told from a duplicate.
   */
  countMissing(first: number, last: number): number {
    if (last < first) return 0;
    if (last - first + 1 > MAX_REMEMBERED_GAP) return last - first + 1;
    let missing = 0;
    for (let seq = first; seq <= last; seq++) {
      if (this.missing?.has(seq)) missing++;
    }
    return missing;
  }

  private rememberGap(first: number, last: number): void {
    if (last - first + 1 > MAX_REMEMBERED_GAP) return;
    this.missing ??= new Set();
    for (let seq = first; seq <= last; seq++) this.missing.add(seq);
  }
}

/** Message counts and latencies of every subscriber in one generator, for the measured window only. */
export class DeliveryStats {
  window: SeqRange | undefined;
  readonly latency: Histogram = createHistogram();
  delivered = 0;
  duplicated = 0;
  outOfOrder = 0;
  /** Every message received, inside or outside the window. */
  received = 0;

  inWindow(seq: number): boolean {
    return this.window !== undefined && seq >= this.window.first && seq <= this.window.last;
  }

  record(seq: number, arrival: Arrival, latencyNs: number): void {
    this.received++;
    if (!this.inWindow(seq)) return;
    if (arrival === 'duplicate') {
      this.duplicated++;
      return;
    }
    if (arrival === 'late') this.outOfOrder++;
    this.delivered++;
    recordNs(this.latency, latencyNs);
  }
}
