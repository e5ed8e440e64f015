import type { IncomingMessage, ServerResponse } from 'node:http';
import { decideSend } from '../backpressure.js';
import { echo, isOriginAllowed, rejectRequest } from '../http-reply.js';
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

const HEARTBEAT = Buffer.from(': heartbeat\n\n');

interface Subscriber {
  response: ServerResponse;
  /** Bytes the kernel had accepted at the previous heartbeat, to tell a stalled peer from a slow one. */
  acceptedAtHeartbeat: number;
}

/**
 * Server-Sent Events reference server on node:http. Every event carries
 * `id:`, so a reconnecting client sends Last-Event-ID and the server replays
 * what it missed from the history.
 */
export class SseTransportServer implements TransportServer {
  private readonly subscribers = new Set<Subscriber>();
  // NOTE: topic and room subscribers get no send-buffer bound or stalled-peer check yet.
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
    for (const subscriber of this.subscribers) subscriber.response.destroy();
    for (const response of this.streamSubscribers.all()) response.destroy();
    this.subscribers.clear();
    this.streamSubscribers.clear();
  }

  handleRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (routePath(request) !== SSE_PATH) return false;
    const { counters, settings } = this.context;
    const parameter = streamParameter(request);
    if ('error' in parameter) {
      counters.rejected++;
      return rejectStream(response, parameter.error);
    }

    if (request.method !== 'GET') {
      rejectRequest(counters, response, 405, 'method-not-allowed', `${echo(request.method ?? '')} is not allowed on ${SSE_PATH}: use GET`, { Allow: 'GET' });
      return true;
    }
    if (!isOriginAllowed(request, settings.allowedOrigins)) {
      rejectRequest(counters, response, 403, 'origin-not-allowed', `Origin ${echo(request.headers.origin ?? '')} may not subscribe`);
      return true;
    }
    const lastEventId = request.headers['last-event-id'];
    if (lastEventId !== undefined && !EVENT_ID.test(String(lastEventId))) {
      rejectRequest(counters, response, 400, 'invalid-last-event-id', `invalid Last-Event-ID "${echo(String(lastEventId))}": expected a sequence number`);
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
    const subscriber: Subscriber = { response, acceptedAtHeartbeat: -1 };
    this.subscribers.add(subscriber);
    response.on('close', () => this.subscribers.delete(subscriber));
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
    const { settings, counters } = this.context;
    for (const subscriber of this.subscribers) {
      const decision = decideSend(subscriber.response.writableLength, settings, counters);
      if (decision === 'send') {
        subscriber.response.write(event);
      } else if (decision === 'close') {
        // The stream ends without a last event: a reason written now would
        // wait behind the buffer the client is not reading.
        this.subscribers.delete(subscriber);
        subscriber.response.destroy();
      }
    }
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
   *
   * The heartbeat also finds dead peers. A peer that vanished without a FIN
   * or RST stops acknowledging, the kernel's send buffer fills and bytes
   * wait in user space. A subscriber whose kernel accepted nothing during a
   * whole interval while bytes were waiting is closed. A slow reader that
   * drains at all is kept.
   */
  private sendHeartbeat(): void {
    for (const subscriber of this.subscribers) {
      const { response } = subscriber;
      const socket = response.socket;
      const waiting = response.writableLength;
      const accepted = socket ? socket.bytesWritten - socket.writableLength : 0;
      if (waiting > 0 && accepted === subscriber.acceptedAtHeartbeat) {
        this.context.counters.deadPeersClosed++;
        this.subscribers.delete(subscriber);
        response.destroy();
        continue;
      }
      subscriber.acceptedAtHeartbeat = accepted;
      if (waiting <= this.context.settings.sendBufferLimitBytes) response.write(HEARTBEAT);
    }
    for (const response of this.streamSubscribers.all()) response.write(HEARTBEAT);
  }
}

/** Formats one event, serialized once per publish and written to every subscriber. */
export function formatEvent(seq: number, json: string): Buffer {
  return Buffer.from(`id: ${seq}\ndata: ${json}\n\n`);
}
