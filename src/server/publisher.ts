import { encodeMessage, makePayload } from '../transports/message.js';
import { createHistogram, recordNs, summarize, type Histogram, type LatencySummary } from '../metrics/histogram.js';
import { MessageHistory, type StoredMessage } from './history.js';
import { dueNs, type Schedule, type SeqRange } from './schedule.js';

export interface PublisherOptions {
  payloadBytes: number;
  historySize: number;
  /** Hold every message this many milliseconds past its due time (calibration). */
  injectDelayMs: number;
  /** Block the event loop once, `forMs` long, `atMs` after the schedule starts (tests the latency accounting). */
  stall?: { atMs: number; forMs: number };
  /** Sequence numbers that are scheduled but never sent (tests loss accounting). */
  skipSeqs?: readonly number[];
}

export type PublishListener = (message: StoredMessage) => void;

/** Receiver of scheduled messages in place of this process's fan-out, with the time each was sent (hrtime ns). */
export type PublishOutlet = (message: StoredMessage, sentNs: bigint) => void;

/** Timers fire at most this early; the publisher then spins to the due time. */
const TIMER_SLACK_NS = 1_000_000n;

/**
 * Maximum time the publisher keeps the event loop before it lets I/O run. Above
 * 1,000 messages per second every next message is due within the timer
 * slack, so without this bound the loop would spin through the whole
 * schedule and no socket would be written until it ended.
 */
const MAX_BURST_NS = 2_000_000n;

/**
 * The one publisher every reference server shares. It keeps a fixed
 * schedule, serializes each message once, stores it in the history and hands
 * it to the transport's fan-out. When the event loop stalls, every message
 * that fell due meanwhile goes out at once, each carrying its own due time.
 * With several instances, only one runs the schedule and routes each message
 * through a bus (routeThrough), and every instance delivers what arrives.
 */
export class Publisher {
  readonly history: MessageHistory;
  private readonly payload: string;
  private readonly listeners: PublishListener[] = [];
  private readonly skip: Set<number>;
  private schedule: Schedule | undefined;
  private nextSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private stallDone = false;
  private lagWindow: SeqRange | undefined;
  private lagHistogram: Histogram = createHistogram();
  private fanOutHistogram: Histogram = createHistogram();
  private outlet: PublishOutlet | undefined;

  constructor(private readonly options: PublisherOptions) {
    this.history = new MessageHistory(options.historySize);
    this.payload = makePayload(options.payloadBytes);
    this.skip = new Set(options.skipSeqs ?? []);
  }

  onPublish(listener: PublishListener): void {
    this.listeners.push(listener);
  }

  /**
   * Sends every scheduled message to `outlet` instead of delivering it
   * here. A message bus uses this: it carries the message to every
   * instance, including this one, and each calls deliver() on arrival.
   */
  routeThrough(outlet: PublishOutlet): void {
    this.outlet = outlet;
  }

  /**
   * Stores a message in the history and hands it to the transport's
   * fan-out. `startNs` is when this instance began sending it: the send
   * time here, or the arrival from a bus. The fan-out time counts from it.
   */
  deliver(message: StoredMessage, startNs: bigint = process.hrtime.bigint()): void {
    this.history.push(message);
    for (const listener of this.listeners) listener(message);

    if (this.inLagWindow(message.seq)) {
      // node:http corks each response and flushes it in a nextTick queued
      // during the fan-out. A tick queued now runs after all of them, so the
      // fan-out time includes those writes for every transport alike.
      process.nextTick(() => recordNs(this.fanOutHistogram, Number(process.hrtime.bigint() - startNs)));
    }
  }

  private inLagWindow(seq: number): boolean {
    return this.lagWindow !== undefined && seq >= this.lagWindow.first && seq <= this.lagWindow.last;
  }

  /** Starts a schedule at `rate` messages per second from the next sequence number. */
  start(rate: number, count?: number): Schedule {
    this.stop();
    this.schedule = {
      startNs: String(process.hrtime.bigint()),
      firstSeq: this.nextSeq,
      rate,
      count,
    };
    this.stallDone = false;
    this.tick();
    return this.schedule;
  }

  /**
   * Continues a schedule that another process started, as a restarted
   * server does: from the first message due now. The messages due while no
   * server ran are never published, because an in-memory history does not
   * survive a restart, and clients count them as lost.
   */
  resume(schedule: Schedule): void {
    this.stop();
    const elapsedNs = Number(process.hrtime.bigint() - BigInt(schedule.startNs));
    const dueSoFar = Math.max(0, Math.ceil((elapsedNs * schedule.rate) / 1e9 - 1e-9));
    this.nextSeq = schedule.firstSeq + dueSoFar;
    this.schedule = schedule;
    this.stallDone = true;
    this.tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule = undefined;
  }

  isRunning(): boolean {
    return this.schedule !== undefined;
  }

  /**
   * Records, only for messages in this range, the send lag (actual send time
   * minus due time) and the fan-out time (from the start of the send until
   * the transport has handed the message to every subscriber's socket).
   */
  setLagWindow(range: SeqRange): void {
    this.lagWindow = range;
    this.lagHistogram = createHistogram();
    this.fanOutHistogram = createHistogram();
  }

  lagSummary(): { sendLag: LatencySummary; fanOut: LatencySummary } {
    return { sendLag: summarize(this.lagHistogram), fanOut: summarize(this.fanOutHistogram) };
  }

  private tick(): void {
    this.timer = undefined;
    const schedule = this.schedule;
    if (!schedule) return;

    this.maybeStall(schedule);

    const holdNs = BigInt(Math.round(this.options.injectDelayMs * 1e6));
    let now = process.hrtime.bigint();
    const burstEndNs = now + MAX_BURST_NS;
    while (this.schedule === schedule && !this.isFinished(schedule) && now < burstEndNs) {
      const sendAt = dueNs(schedule, this.nextSeq) + holdNs;
      if (sendAt > now + TIMER_SLACK_NS) break;
      while (now < sendAt) now = process.hrtime.bigint();
      this.publishNext(schedule, now);
      now = process.hrtime.bigint();
    }

    if (this.schedule !== schedule) return;
    if (this.isFinished(schedule)) {
      this.schedule = undefined;
      return;
    }
    const waitNs = dueNs(schedule, this.nextSeq) + holdNs - now - TIMER_SLACK_NS;
    const waitMs = Math.max(0, Number(waitNs) / 1e6);
    this.timer = setTimeout(() => this.tick(), waitMs);
  }

  private isFinished(schedule: Schedule): boolean {
    return schedule.count !== undefined && this.nextSeq >= schedule.firstSeq + schedule.count;
  }

  private publishNext(schedule: Schedule, sentNs: bigint): void {
    const seq = this.nextSeq++;
    const due = dueNs(schedule, seq);
    if (this.skip.has(seq)) return;

    const message: StoredMessage = { seq, json: encodeMessage(seq, due, this.payload) };
    if (this.outlet) this.outlet(message, sentNs);
    else this.deliver(message, sentNs);

    if (this.inLagWindow(seq)) recordNs(this.lagHistogram, Number(sentNs - due));
  }

  private maybeStall(schedule: Schedule): void {
    const stall = this.options.stall;
    if (!stall || this.stallDone) return;
    const stallAt = BigInt(schedule.startNs) + BigInt(Math.round(stall.atMs * 1e6));
    if (process.hrtime.bigint() < stallAt) return;

    this.stallDone = true;
    const until = process.hrtime.bigint() + BigInt(Math.round(stall.forMs * 1e6));
    while (process.hrtime.bigint() < until) {
      // Busy-wait on purpose: this simulates a server whose event loop is blocked.
    }
  }
}
