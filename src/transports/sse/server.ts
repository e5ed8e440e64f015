import type { IncomingMessage, ServerResponse } from 'node:http';
import { routePath } from '../route.js';
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
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly context: ServerContext) {
    context.publisher.onPublish((message) => this.broadcast(formatEvent(message.seq, message.json)));
    this.heartbeat = setInterval(() => this.sendHeartbeat(), context.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const response of this.subscribers) response.destroy();
    this.subscribers.clear();
  }

  handleRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (routePath(request) !== SSE_PATH) return false;

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
    if (lastEventId !== undefined) this.replay(response, Number(lastEventId));

    this.subscribers.add(response);
    response.on('close', () => this.subscribers.delete(response));
    return true;
  }

  private replay(response: ServerResponse, lastEventId: number): void {
    const { messages } = this.context.publisher.history.since(lastEventId);
    // NOTE: SSE has no standard gap signal; a client whose Last-Event-ID is
    // older than the history sees the jump in sequence numbers and counts
    // those messages as lost.
    for (const message of messages) response.write(formatEvent(message.seq, message.json));
  }

  private broadcast(event: Buffer): void {
    for (const response of this.subscribers) response.write(event);
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
  }
}

/** One event, serialized once per publish and written to every subscriber. */
export function formatEvent(seq: number, json: string): Buffer {
  return Buffer.from(`id: ${seq}\ndata: ${json}\n\n`);
}
