import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoredMessage } from '../../server/history.js';
import { routePath } from '../route.js';
import { rejectStream, streamParameter } from '../stream-route.js';
import { StreamSubscribers } from '../stream-subscribers.js';
import type { ServerContext, TransportServer } from '../types.js';

export const SSE_PATH = '/events';

/** Reconnection delay sent to clients in the `retry:` field, ms. */
export const SSE_RETRY_MS = 1000;

/** Matches a Last-Event-ID that this server could have sent: a sequence number. */
const EVENT_ID = /^\d{1,15}$/;

/**
 * Server-Sent Events reference server on node:http. Every event carries
 * `id:`, so a reconnecting client sends Last-Event-ID and the server replays
 * what it missed from the history.
 */
export class SseTransportServer implements TransportServer {
  private readonly subscribers = new Set<ServerResponse>();
  private readonly streamSubscribers = new StreamSubscribers<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly context: ServerContext) {
    context.publisher.onPublish((message) => this.broadcast(formatEvent(message.seq, message.json)));
    context.streams.onPublish((stream, message) => this.publishOnStream(stream, message));
    this.heartbeat = setInterval(() => this.sendHeartbeat(), context.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  subscriberCount(): number {
    return this.subscribers.size + this.streamSubscribers.size;
  }

  streamSubscriberCount(stream: string): number {
    return this.streamSubscribers.countOf(stream);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const response of this.subscribers) response.destroy();
    for (const response of this.streamSubscribers.all()) response.destroy();
    this.subscribers.clear();
    this.streamSubscribers.clear();
  }

  handleRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (routePath(request) !== SSE_PATH) return false;
    const parameter = streamParameter(request);
    if ('error' in parameter) {
      this.context.counters.rejected++;
      return rejectStream(response, parameter.error);
    }

    const lastEventId = request.headers['last-event-id'];
    if (lastEventId !== undefined && !EVENT_ID.test(String(lastEventId))) {
      this.context.counters.rejected++;
      response.writeHead(400, { 'Content-Type': 'text/plain' });
      response.end(`invalid Last-Event-ID "${String(lastEventId).slice(0, 64)}": expected a sequence number\n`);
      return true;
    }

    // No compression and no proxy buffering: each event must leave at once.
    response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    response.write(`retry: ${SSE_RETRY_MS}\n\n`);

    const stream = parameter.stream;
    if (stream !== undefined) {
      if (lastEventId !== undefined) this.replay(response, Number(lastEventId), stream);
      this.streamSubscribers.add(stream, response);
      response.on('close', () => this.streamSubscribers.delete(stream, response));
      return true;
    }

    if (lastEventId !== undefined) this.replay(response, Number(lastEventId));
    this.subscribers.add(response);
    response.on('close', () => this.subscribers.delete(response));
    return true;
  }

  /** Replays from the broadcast history, or from the stream's own history when a stream is given. */
  private replay(response: ServerResponse, lastEventId: number, stream?: string): void {
    const history = stream === undefined ? this.context.publisher.history : this.context.streams.history(stream);
    const { messages } = history.since(lastEventId);
    // NOTE: SSE has no standard gap signal; a client whose Last-Event-ID is
    // older than the history sees the jump in sequence numbers and counts
    // those messages as lost.
    for (const message of messages) response.write(formatEvent(message.seq, message.json));
  }

  private broadcast(event: Buffer): void {
    for (const response of this.subscribers) response.write(event);
  }

  private publishOnStream(stream: string, message: StoredMessage): void {
    const subscribers = this.streamSubscribers.of(stream);
    if (!subscribers) return;
    const event = formatEvent(message.seq, message.json);
    for (const response of subscribers) response.write(event);
  }

  /**
   * HTML Living Standard, server-sent events: "Legacy proxy servers are
   * known to, in certain cases, drop HTTP connections after a short
   * timeout. To protect against such proxy servers, authors can include a
   * comment line (one starting with a ':' character) every 15 seconds or so."
   */
  private sendHeartbeat(): void {
    const comment = Buffer.from(': heartbeat\n\n');
    for (const response of this.subscribers) response.write(comment);
    for (const response of this.streamSubscribers.all()) response.write(comment);
  }
}

/** One event, serialized once per publish and written to every subscriber. */
export function formatEvent(seq: number, json: string): Buffer {
  return Buffer.from(`id: ${seq}\ndata: ${json}\n\n`);
}
