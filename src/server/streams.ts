import { encodeMessage, encodeRelayedMessage } from '../transports/message.js';
import { createHistogram, recordNs, summarize, type Histogram, type LatencySummary } from '../metrics/histogram.js';
import { MessageHistory, type StoredMessage } from './history.js';

/** Slots a stream's history allocates up front; it doubles up to the history size as messages arrive. */
const INITIAL_HISTORY_SLOTS = 16;

/** A due time the server could have stamped: decimal nanoseconds of process.hrtime.bigint(). */
const DUE = /^\d{1,20}$/;

export type StreamPublishListener = (stream: string, message: StoredMessage) => void;

/**
 * A topic or room message before it has a sequence number, as a bus
 * carries it. Every instance numbers the events in the order the bus
 * delivers them, so all instances give a stream the same numbering.
 */
export type StreamEvent =
  | { kind: 'publish'; stream: string; dueNs: string; payload: string }
  | { kind: 'relay'; stream: string; text: string };

interface RelayedMessage {
  due: string;
  from: number;
  data: string;
}

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
  private outlet: ((event: StreamEvent) => void) | undefined;

  constructor(private readonly historySize: number) {}

  /**
   * Sends every publish and relay to `outlet` instead of numbering and
   * delivering it here. The bus then calls apply() on every instance, this
   * one included, in one order.
   */
  routeThrough(outlet: (event: StreamEvent) => void): void {
    this.outlet = outlet;
  }

  /** Numbers and delivers an event that arrived from the bus. */
  apply(event: StreamEvent): void {
    if (event.kind === 'publish') {
      this.publishHere(event.stream, BigInt(event.dueNs), event.payload);
      return;
    }
    const relayed = parseRelayed(event.text);
    if (typeof relayed !== 'string') this.relayHere(event.stream, relayed);
  }

  onPublish(listener: StreamPublishListener): void {
    this.listeners.push(listener);
  }

  /** Returns the stream's history, created empty for a stream without messages yet. */
  history(stream: string): MessageHistory {
    return this.state(stream).history;
  }

  /**
   * Publishes a message the server schedules itself, with the next sequence
   * number of the stream; with a bus, the number is given on arrival.
   */
  publish(stream: string, dueNs: bigint, payload: string): void {
    if (this.outlet) this.outlet({ kind: 'publish', stream, dueNs: String(dueNs), payload });
    else this.publishHere(stream, dueNs, payload);
  }

  private publishHere(stream: string, dueNs: bigint, payload: string): StoredMessage {
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
    const relayed = parseRelayed(text);
    if (typeof relayed === 'string') return relayed;

    if (this.outlet) this.outlet({ kind: 'relay', stream, text });
    else this.relayHere(stream, relayed);
    return undefined;
  }

  private relayHere(stream: string, relayed: RelayedMessage): void {
    const state = this.state(stream);
    const message: StoredMessage = {
      seq: state.nextSeq,
      json: encodeRelayedMessage(state.nextSeq, relayed.due, relayed.from, JSON.stringify(relayed.data)),
    };
    this.deliver(stream, state, message, BigInt(relayed.due));
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

/** Parses an upstream message; returns why it is invalid, as text, or the message. */
function parseRelayed(text: string): RelayedMessage | string {
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
  return { due, from: from as number, data };
}
