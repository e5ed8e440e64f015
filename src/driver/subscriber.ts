import { DeliveryStats, SequenceTracker } from '../metrics/delivery.js';
import type { SeqRange } from '../server/schedule.js';
import type { WireMessage } from '../transports/message.js';
import type { ClientEvents, SimulatedClient } from '../transports/types.js';

/** Callbacks through which a subscriber reports its connection to the generator. */
export interface SubscriberOwner {
  subscriberOpened(subscriber: Subscriber, connectNs: number): void;
  subscriberFailed(subscriber: Subscriber, error: Error): void;
  subscriberError(error: Error): void;
  subscriberDisconnected(nowNs: bigint): void;
  /** `downNs`: from the loss of the subscription until now. */
  subscriberReconnected(downNs: number, nowNs: bigint): void;
}

/**
 * One simulated subscriber: a transport client plus its sequence check.
 * Kept as one small object per client, because at 10,000 clients every
 * closure and field shows up in the generator's memory per client.
 */
export class Subscriber implements ClientEvents {
  client!: SimulatedClient;
  opened = false;
  failed = false;
  private readonly tracker = new SequenceTracker();
  private startNs = 0n;
  /** When the subscription was lost; 0n while it is up. */
  private lostNs = 0n;
  /** Highest sequence number received before the last loss; undefined when no gap check is pending. */
  private seqAtLoss: number | undefined;
  /** Sequence ranges skipped across reconnects, as flat [first, last] pairs; undefined until the first. */
  private faultGaps: number[] | undefined;

  constructor(
    private readonly owner: SubscriberOwner,
    private readonly delivery: DeliveryStats,
    /** The client's index in the generator; chat messages carry it in `from`. */
    readonly index: number,
    /** Whether this subscriber pauses its reads (--slow-clients). */
    readonly slow = false,
  ) {}

  connect(): void {
    this.startNs = process.hrtime.bigint();
    this.client.connect();
  }

  onOpen(): void {
    if (this.failed) return;
    this.opened = true;
    this.owner.subscriberOpened(this, Number(process.hrtime.bigint() - this.startNs));
  }

  onMessage(message: WireMessage, receivedNs: bigint): void {
    const arrival = this.tracker.observe(message.seq);
    if (arrival === 'new' && this.seqAtLoss !== undefined) this.checkFaultGap(message.seq);
    // The room relays a sender's message back to it too, so the room's
    // sequence stays gap-free for every member. That echo is the sender's
    // own message, not a delivery, and the expected count leaves it out.
    if (message.from === this.index) return;
    // Number() keeps nanosecond precision below 2^53 ns (104 days of uptime)
    // and errs by at most 16 ns below 3 years: far under the histogram's 1 µs
    // resolution, and cheaper than BigInt arithmetic per message.
    const latencyNs = Number(receivedNs) - Number(message.due);
    this.delivery.record(message.seq, arrival, latencyNs, message.due);
  }

  onError(error: Error): void {
    if (this.opened) {
      this.owner.subscriberError(error);
      return;
    }
    if (this.failed) return;
    this.failed = true;
    this.owner.subscriberFailed(this, error);
  }

  onDisconnect(): void {
    if (!this.opened || this.lostNs !== 0n) return;
    this.lostNs = process.hrtime.bigint();
    if (this.seqAtLoss === undefined && this.tracker.highestSeq >= 0) this.seqAtLoss = this.tracker.highestSeq;
    this.owner.subscriberDisconnected(this.lostNs);
  }

  onReconnect(): void {
    if (this.lostNs === 0n) return;
    const nowNs = process.hrtime.bigint();
    const downNs = Number(nowNs - this.lostNs);
    this.lostNs = 0n;
    this.owner.subscriberReconnected(downNs, nowNs);
  }

  /** Messages inside `window` skipped across a reconnect that never arrived later, for example by a replay. */
  lostAcrossFaults(window: SeqRange): number {
    if (!this.faultGaps) return 0;
    let lost = 0;
    for (let i = 0; i < this.faultGaps.length; i += 2) {
      lost += this.tracker.countMissing(Math.max(window.first, this.faultGaps[i]), Math.min(window.last, this.faultGaps[i + 1]));
    }
    return lost;
  }

  /** Records the range between the last message before a loss and the first one after it. */
  private checkFaultGap(seq: number): void {
    const before = this.seqAtLoss as number;
    this.seqAtLoss = undefined;
    if (seq <= before + 1) return;
    this.faultGaps ??= [];
    this.faultGaps.push(before + 1, seq - 1);
  }
}
