import type { Timeline } from './timeline.js';

/**
 * Runs `visit` for each item of a timeline once it falls due, from a
 * start time on the monotonic clock. Items that fell due while the event
 * loop was busy run at once, each with its own due time, so a late runner
 * shows up in latency instead of shifting the schedule.
 *
 * NOTE: unlike the broadcast Publisher, the runner does not spin to the
 * exact due time: with thousands of topics or senders the next item is
 * nearly always less than a millisecond away, and spinning would block the
 * event loop. Items run up to about 1 ms (the timer granularity) late, and
 * that delay is part of the measured latency.
 */
export class TimelineRunner {
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly startNs: bigint,
    private readonly visit: (k: number, dueNs: bigint) => void,
  ) {}

  start(): void {
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.running) return;

    let elapsedNs = this.elapsedNs();
    while (this.running && this.timeline.offsetNs(this.next) <= elapsedNs) {
      const k = this.next++;
      this.visit(k, this.startNs + BigInt(this.timeline.offsetNs(k)));
      elapsedNs = this.elapsedNs();
    }
    if (!this.running) return;

    const waitNs = this.timeline.offsetNs(this.next) - elapsedNs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, waitNs / 1e6));
  }

  private elapsedNs(): number {
    return Number(process.hrtime.bigint() - this.startNs);
  }
}
