/** A message as kept by the server: its sequence number and its serialized JSON. */
export interface StoredMessage {
  seq: number;
  json: string;
}

/** The messages after a cursor, and how many were already evicted from the history. */
export interface Replay {
  messages: StoredMessage[];
  /** Sequence numbers after the cursor that the history no longer holds: lost for that client. */
  missed: number;
}

/**
 * The last `capacity` published messages, in a ring buffer. Long polling
 * and SSE replay from it, so a client that comes back late catches up. A
 * cursor older than the ring gets an explicit `missed` count, so the loss is
 * counted instead of being silent.
 */
export class MessageHistory {
  private ring: (StoredMessage | undefined)[];
  private nextIndex = 0;
  private size = 0;

  /**
   * @param capacity messages held at most
   * @param initialSlots slots allocated up front; the ring doubles up to
   *   `capacity` as messages arrive, so thousands of quiet topics each cost
   *   a few slots instead of `capacity`
   */
  constructor(
    readonly capacity: number,
    initialSlots = capacity,
  ) {
    this.ring = new Array(Math.max(1, Math.min(capacity, initialSlots)));
  }

  push(message: StoredMessage): void {
    if (this.size === this.ring.length && this.size < this.capacity) this.grow();
    this.ring[this.nextIndex] = message;
    this.nextIndex = (this.nextIndex + 1) % this.ring.length;
    if (this.size < this.ring.length) this.size++;
  }

  /** Sequence number of the newest message, or -1 before the first publish. */
  latestSeq(): number {
    if (this.size === 0) return -1;
    return this.at(this.size - 1).seq;
  }

  oldestSeq(): number {
    if (this.size === 0) return -1;
    return this.at(0).seq;
  }

  /** Returns every held message with a sequence number above `cursor`. */
  since(cursor: number): Replay {
    const latest = this.latestSeq();
    if (this.size === 0 || cursor >= latest) return { messages: [], missed: 0 };

    const missed = Math.max(0, this.oldestSeq() - cursor - 1);
    const messages: StoredMessage[] = [];
    for (let i = this.firstIndexAfter(cursor); i < this.size; i++) messages.push(this.at(i));
    return { messages, missed };
  }

  /**
   * Binary search for the first held message with a sequence number above
   * `cursor`. Sequence numbers rise but may have holes (a server that
   * skipped one), so positions cannot be computed from them.
   */
  private firstIndexAfter(cursor: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at(middle).seq <= cursor) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The i-th held message, 0 being the oldest. */
  private at(i: number): StoredMessage {
    const slots = this.ring.length;
    const start = (this.nextIndex - this.size + slots) % slots;
    return this.ring[(start + i) % slots] as StoredMessage;
  }

  /** Doubles the ring, oldest message first, when it is full but below capacity. */
  private grow(): void {
    const ring: (StoredMessage | undefined)[] = new Array(Math.min(this.capacity, this.ring.length * 2));
    for (let i = 0; i < this.size; i++) ring[i] = this.at(i);
    this.ring = ring;
    this.nextIndex = this.size;
  }
}
