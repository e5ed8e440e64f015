/**
 * A fixed publishing schedule: message `firstSeq + k` is due at
 * `startNs + k / rate` seconds. Latency is measured from these due times,
 * not from when the server got round to sending, so a stalled sender shows
 * its stall in every message that fell due during it (coordinated omission).
 */
export interface Schedule {
  /** process.hrtime.bigint() at which `firstSeq` is due, as a decimal string for IPC and JSON. */
  startNs: string;
  firstSeq: number;
  /** Messages per second. */
  rate: number;
  /** Messages in the schedule; undefined for an open-ended one. */
  count?: number;
}

export function dueNs(schedule: Schedule, seq: number): bigint {
  const offsetNs = Math.round(((seq - schedule.firstSeq) * 1e9) / schedule.rate);
  return BigInt(schedule.startNs) + BigInt(offsetNs);
}

/** A contiguous range of sequence numbers, both ends included. */
export interface SeqRange {
  first: number;
  last: number;
}

/**
 * The messages due within [startSec, startSec + durationSec) after the
 * schedule start. Counting messages by due time, not arrival time, keeps a
 * lagging client from pushing the delivered share past 100%.
 */
export function seqRangeForWindow(schedule: Schedule, startSec: number, durationSec: number): SeqRange {
  const first = schedule.firstSeq + Math.ceil(startSec * schedule.rate - 1e-9);
  const end = schedule.firstSeq + Math.ceil((startSec + durationSec) * schedule.rate - 1e-9);
  return { first, last: end - 1 };
}

export function rangeSize(range: SeqRange): number {
  return Math.max(0, range.last - range.first + 1);
}
