import { DeliveryStats, SequenceTracker } from '../metrics/delivery.js';
import type { WireMessage } from '../transports/message.js';
import type { ClientEvents, SimulatedClient } from '../transports/types.js';

/** Callbacks through which a subscriber reports its connection to the generator. */
export interface SubscriberOwner {
  subscriberOpened(subscriber: Subscriber, connectNs: number): void;
  subscriberFailed(subscriber: Subscriber, error: Error): void;
  subscriberError(error: Error): void;
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

  constructor(
    private readonly owner: SubscriberOwner,
    private readonly delivery: DeliveryStats,
    /** The client's index in the generator; chat messages carry it in `from`. */
    readonly index: number,
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
}
