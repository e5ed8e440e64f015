import { encodeMessage, encodeRelayedMessage } from '../transports/message.js';
import { createHistogram, recordNs, summarize, type Histogram, type LatencySummary } from '../metrics/histogram.js';
import { MessageHistory, type StoredMessage } from './history.js';

/** Slots a stream's history allocates up front; it doubles up to the history size as messages arrive. */
const INITIAL_HISTORY_SLOTS = 16;

/** A due time the server could have stamped: decimal nanoseconds of process.hrtime.bigint(). */
const DUE = /^\d{1,20}$/;

export type StreamPublishListener = (stream: string, message: StoredMessage) => void;

/** Due times, absolute ns of process.hrtime.bigint(), of the messages whose send lag is recorded: [startNs, endNs). */
export interface DueWindow {
  startNs: bigint;
  endNs: bigint;
}

interface StreamState {
  history: MessageHistory;
  nextSeq: number;
}

/**
 * Topics and rooms: named streams, each with its own gap-free sequence
 * numbers from 0 and its own bounded history, next to the one broadcast
 * stream of the Publisher. Each message is serialized once per publish and
 * handed to the transport's fan-out for that stream's subscribers.
 */
export class StreamHub {
  private readonly streams = new Map<string, StreamState>();
  private readonly listeners: StreamPublishListener[] = [];
  private lagWindow: DueWindow | undefined;
  private lagHistogram: Histogram = createHistogram();
  private fanOutHistogram: Histogram = createHistogram();

  constructor(private readonly historySize: number) {}

  onPublish(listener: StreamPublishListener): void {
    this.listeners.push(listener);
  }

  /** Returns the stream's history, created empty for a stream without messages yet. */
  history(stream: string): MessageHistory {
    return this.state(stream).history;
  }

  /** Publishes a message the server schedules itself, with the next sequence number of the stream. */
  publish(stream: string, dueNs: bigint, payload: string): StoredMessage {
    const state = this.state(stream);
    const message: StoredMessage = { seq: state.nextSeq, json: encodeMessage(state.nextSeq, dueNs, payload) };
    this.deliver(stream, state, message, dueNs);
    return message;
  }

  /**
   * Relays a message a client sent to its room, the sender included, so
   * every member receives one gap-free sequence. Returns why the text is
   * not a valid upstream message, or undefined when it was relayed.
   *
   * Upstream format: {"due":"<ns>","from":<client index>,"data":"<text>"}
   */
  relay(stream: string, text: string): string | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return 'the body is not JSON';
    }
    const { due, from, data } = (value ?? {}) as Record<string, unknown>;
    if (typeof due !== 'string' || !DUE.test(due)) return '"due" must be a decimal string of nanoseconds';
    if (!Number.isSafeInteger(from) || (from as number) < 0) return '"from" must be a client index (an integer of 0 or more)';
    if (typeof data !== 'string') return '"data" must be a string';

    const state = this.state(stream);
    const message: StoredMessage = {
      seq: state.nextSeq,
      json: encodeRelayedMessage(state.nextSeq, due, from as number, JSON.stringify(data)),
    };
    this.deliver(stream, state, message, BigInt(due));
    return undefined;
  }

  /**
   * Records, for due times in this window, how late each message went out
   * (relay or publish time minus due time) and its fan-out time, as the
   * Publisher does for the broadcast stream.
   */
  setLagWindow(window: DueWindow): void {
    this.lagWindow = window;
    this.lagHistogram = createHistogram();
    this.fanOutHistogram = createHistogram();
  }

  lagSummary(): { sendLag: LatencySummary; fanOut: LatencySummary } {
    return { sendLag: summarize(this.lagHistogram), fanOut: summarize(this.fanOutHistogram) };
  }

  get streamCount(): number {
    return this.streams.size;
  }

  private deliver(stream: string, state: StreamState, message: StoredMessage, dueNs: bigint): void {
    state.nextSeq++;
    state.history.push(message);

    const window = this.lagWindow;
    const measured = window !== undefined && dueNs >= window.startNs && dueNs < window.endNs;
    // Like the Publisher, the send time is taken before the fan-out.
    const sentNs = measured ? process.hrtime.bigint() : 0n;
    if (measured) recordNs(this.lagHistogram, Number(sentNs - dueNs));

    for (const listener of this.listeners) listener(stream, message);

    // A tick queued after the fan-out runs after node:http's corked writes flush, as in the Publisher.
    if (measured) process.nextTick(() => recordNs(this.fanOutHistogram, Number(process.hrtime.bigint() - sentNs)));
  }

  private state(stream: string): StreamState {
    let state = this.streams.get(stream);
    if (!state) {
      state = { history: new MessageHistory(this.historySize, INITIAL_HISTORY_SLOTS), nextSeq: 0 };
      this.streams.set(stream, state);
    }
    return state;
  }
}
