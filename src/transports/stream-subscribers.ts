/**
 * A transport server's subscribers to topics and rooms, keyed by stream.
 * The broadcast subscribers stay in the server's own set, so the default
 * fan-out loop is untouched.
 */
export class StreamSubscribers<T> {
  private readonly byStream = new Map<string, Set<T>>();
  private total = 0;

  add(stream: string, subscriber: T): void {
    let set = this.byStream.get(stream);
    if (!set) {
      set = new Set();
      this.byStream.set(stream, set);
    }
    if (set.has(subscriber)) return;
    set.add(subscriber);
    this.total++;
  }

  delete(stream: string, subscriber: T): void {
    const set = this.byStream.get(stream);
    if (!set?.delete(subscriber)) return;
    this.total--;
    if (set.size === 0) this.byStream.delete(stream);
  }

  /** Returns the stream's subscribers, or undefined when it has none. */
  of(stream: string): Set<T> | undefined {
    return this.byStream.get(stream);
  }

  /** Removes the stream's subscribers and returns them. */
  take(stream: string): Set<T> | undefined {
    const set = this.byStream.get(stream);
    if (!set) return undefined;
    this.byStream.delete(stream);
    this.total -= set.size;
    return set;
  }

  countOf(stream: string): number {
    return this.byStream.get(stream)?.size ?? 0;
  }

  get size(): number {
    return this.total;
  }

  /** Every subscriber of every stream, for heartbeats and shutdown. */
  *all(): IterableIterator<T> {
    for (const set of this.byStream.values()) yield* set;
  }

  clear(): void {
    this.byStream.clear();
    this.total = 0;
  }
}
