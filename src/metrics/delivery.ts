import { createHistogram, recordNs, type Histogram } from './histogram.js';
import type { SeqRange } from '../server/schedule.js';

/** Gaps wider than this are not remembered per subscriber; a late arrival from one counts as a duplicate. */
const MAX_REMEMBERED_GAP = 10_000;

/** Classification of one received message, for one subscriber. */
export type Arrival = 'new' | 'late' | 'duplicate';

/**
 * Per-subscriber sequence check. It keeps the highest sequence number seen
 * and, only after a jump, the set of numbers skipped, so a message that
 * arrives after a higher one is distinguished from a duplicate.
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
   * Returns how many of the sequence numbers first..last never arrived. A
   * gap too wide to remember counts whole, because a late arrival from it
   * cannot be distinguished from a duplicate.
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

/**
 * Message counts and latencies of every subscriber in one generator, for the
 * measured window only. The broadcast stream's window is a range of
 * sequence numbers; topics and rooms each number their messages from 0, so
 * their window is a range of due times instead.
 */
export class DeliveryStats {
  window: SeqRange | undefined;
  /** Due times [startNs, endNs) of the window, absolute ns of process.hrtime.bigint(); set for topic and room workloads. */
  dueWindow: { startNs: bigint; endNs: bigint } | undefined;
  readonly latency: Histogram = createHistogram();
  delivered = 0;
  duplicated = 0;
  outOfOrder = 0;
  /** Every message received, inside or outside the window; a chat sender's own echoes excluded. */
  received = 0;

  /** `due` is the message's due time as sent, decimal ns; it is read only for topics and rooms. */
  inWindow(seq: number, due: string): boolean {
    const dueWindow = this.dueWindow;
    if (dueWindow !== undefined) {
      const dueNs = BigInt(due);
      return dueNs >= dueWindow.startNs && dueNs < dueWindow.endNs;
    }
    return this.window !== undefined && seq >= this.window.first && seq <= this.window.last;
  }

  record(seq: number, arrival: Arrival, latencyNs: number, due: string): void {
    this.received++;
    if (!this.inWindow(seq, due)) return;
    if (arrival === 'duplicate') {
      this.duplicated++;
      return;
    }
    if (arrival === 'late') this.outOfOrder++;
    this.delivered++;
    recordNs(this.latency, latencyNs);
  }
}
