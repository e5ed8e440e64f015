/**
 * A timeline is the ordered list of messages a workload schedules: item k
 * is due `offsetNs(k)` after the schedule start and belongs to `slot(k)`,
 * a stream or a sending client. The reference server and the load
 * generator compute the same integer offsets from the same inputs, so the
 * generator can count exactly which messages fall due inside the window.
 */
export interface Timeline {
  /** Integer nanoseconds after the schedule start; never decreases as k rises. */
  offsetNs(k: number): number;
  slot(k: number): number;
}

/**
 * `slots` slots that each get `ratePerSlot` items per second, interleaved:
 * item k goes to slot k mod slots, so the slots' phases are spread evenly
 * over one interval instead of all falling due at once.
 */
export class RoundRobinTimeline implements Timeline {
  private readonly nsPerItem: number;

  constructor(
    readonly slots: number,
    ratePerSlot: number,
  ) {
    this.nsPerItem = 1e9 / (slots * ratePerSlot);
  }

  offsetNs(k: number): number {
    return Math.round(k * this.nsPerItem);
  }

  slot(k: number): number {
    return k % this.slots;
  }
}

/** One slot whose items repeat a fixed pattern of offsets every period. */
export class PeriodicTimeline implements Timeline {
  /**
   * @param periodNs length of one period, integer ns
   * @param pattern offsets inside one period, integer ns, sorted, each below periodNs
   */
  constructor(
    private readonly periodNs: number,
    private readonly pattern: readonly number[],
  ) {
    if (pattern.length === 0) throw new RangeError('a periodic timeline needs at least one item per period');
  }

  offsetNs(k: number): number {
    const period = Math.floor(k / this.pattern.length);
    return period * this.periodNs + this.pattern[k % this.pattern.length];
  }

  slot(): number {
    return 0;
  }
}

/** Finds the first item due at or after `offsetNs`, by binary search over the rising offsets. */
export function firstItemAtOrAfter(timeline: Timeline, offsetNs: number): number {
  let high = 1;
  while (timeline.offsetNs(high) < offsetNs) high *= 2;
  let low = 0;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (timeline.offsetNs(middle) < offsetNs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Calls `visit` for every item due in [fromNs, toNs), in order. */
export function forEachItemIn(timeline: Timeline, fromNs: number, toNs: number, visit: (k: number) => void): void {
  for (let k = firstItemAtOrAfter(timeline, fromNs); timeline.offsetNs(k) < toNs; k++) visit(k);
}
