import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StoredMessage } from '../../server/history.js';
import { backpressureReason, decideSend } from '../backpressure.js';
import { isOriginAllowed, rejectRequest, rejectSocket } from '../http-reply.js';
import { routePath } from '../route.js';
import { streamParameter } from '../stream-route.js';
import { StreamSubscribers } from '../stream-subscribers.js';
import { countRejection, type ServerContext, type TransportServer } from '../types.js';
import { buildTextFrame } from './frame.js';
import { parseClientMessage } from './resume.js';

export const WEBSOCKET_PATH = '/ws';

/** RFC 6455 §7.4.1 close codes the server sends. */
export const CLOSE_CODE = {
  /** "received a type of data it cannot accept (e.g., an endpoint that understands only text data MAY send this if it receives a binary message)" */
  UNSUPPORTED_DATA: 1003,
  /** "received a message that violates its policy": an invalid client message, or a send buffer above the limit. */
  POLICY_VIOLATION: 1008,
} as const;

/** After a close frame to a slow subscriber, wait this long for the closing handshake before dropping the socket, ms. */
const CLOSE_GRACE_MS = 1000;

interface Subscriber {
  ws: WebSocket;
  socket: Duplex;
  alive: boolean;
  /** Sequence number of the first broadcast written to this subscriber; -1 before any. */
  firstLiveSeq: number;
  /** The topic or room; undefined for the broadcast stream. */
  stream?: string;
}

/**
 * WebSocket reference server on `ws`. Each broadcast is framed once and the
 * same bytes are written to every subscriber's socket: framing per recipient
 * through ws.send() costs about 11-15 µs each, which at 10,000 subscribers
 * blocks the event loop for over 100 ms per message.
 */
export class WebSocketTransportServer implements TransportServer {
  private readonly wss: WebSocketServer;
  private readonly subscribers = new Set<Subscriber>();
  private readonly streamSubscribers = new StreamSubscribers<Subscriber>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly context: ServerContext) {
    // permessage-deflate stays off: a compressed frame cannot be shared
    // between subscribers, and the raw writes below assume plain frames.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: context.settings.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    // Handshakes that ws itself rejects (a bad Sec-WebSocket-Key or
    // version) are answered here, so that they are counted too.
    this.wss.on('wsClientError', (error: Error, socket: Duplex) => rejectSocket(context.counters, socket, 400, 'invalid-handshake', error.message));

    context.publisher.onPublish((message) => this.broadcast(message.seq, buildTextFrame(message.json)));
    context.streams.onPublish((stream, message) => this.publishOnStream(stream, message));
    this.heartbeat = setInterval(() => this.checkHeartbeats(), context.settings.heartbeatMs);
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
    for (const subscriber of this.subscribers) subscriber.ws.terminate();
    for (const subscriber of this.streamSubscribers.all()) subscriber.ws.terminate();
    this.subscribers.clear();
    this.streamSubscribers.clear();
    this.wss.close();
  }

  /** Plain HTTP requests to the WebSocket route get 426, as RFC 7231 §6.5.15 suggests. */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (routePath(request) !== WEBSOCKET_PATH) return false;
    rejectRequest(this.context.counters, response, 426, 'upgrade-required', 'this route expects a WebSocket upgrade', { Upgrade: 'websocket' });
    return true;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (routePath(request) !== WEBSOCKET_PATH) return false;
    if (request.method !== 'GET') {
      rejectSocket(this.context.counters, socket, 405, 'method-not-allowed', 'a WebSocket handshake is a GET request');
      return true;
    }
    if (!isOriginAllowed(request, this.context.settings.allowedOrigins)) {
      rejectSocket(this.context.counters, socket, 403, 'origin-not-allowed', 'this Origin may not subscribe');
      return true;
    }
    const parameter = streamParameter(request);
    if ('error' in parameter) {
      rejectSocket(this.context.counters, socket, 400, 'invalid-stream', parameter.error);
      return true;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.register(ws, socket, parameter.stream));
    return true;
  }

  private register(ws: WebSocket, socket: Duplex, stream: string | undefined): void {
    const subscriber: Subscriber = { ws, socket, alive: true, firstLiveSeq: -1, stream };
    if (stream === undefined) {
      this.subscribers.add(subscriber);
      ws.on('close', () => this.subscribers.delete(subscriber));
      ws.on('message', (data, isBinary) => this.handleClientMessage(subscriber, data, isBinary));
    } else {
      // NOTE: topic and room subscribers get no send-buffer bound and no resume yet.
      this.streamSubscribers.add(stream, subscriber);
      ws.on('close', () => this.streamSubscribers.delete(stream, subscriber));
      ws.on('message', (data, isBinary) => this.relay(stream, data, isBinary));
    }
    ws.on('pong', () => {
      subscriber.alive = true;
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // An invalid frame or an oversized message: ws closes the connection
      // with the matching close code (1002, 1007, 1009) and emits close.
      countRejection(this.context.counters, `ws ${error.code ?? 'error'}`);
    });
  }

  private handleClientMessage(subscriber: Subscriber, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.closeForInvalidInput(subscriber, CLOSE_CODE.UNSUPPORTED_DATA, 'binary-message', 'only text messages are accepted');
      return;
    }
    const parsed = parseClientMessage(data.toString());
    if (!parsed.ok) {
      this.closeForInvalidInput(subscriber, CLOSE_CODE.POLICY_VIOLATION, parsed.reason, parsed.detail);
      return;
    }
    this.replay(subscriber, parsed.request.lastSeq);
  }

  /**
   * Writes the messages after `lastSeq` that the history holds and that
   * were published before this subscriber got its first broadcast. A
   * broadcast that went out between the handshake and the resume request
   * reaches the client before the replayed ones, which it counts as out of
   * order; nothing is sent twice.
   */
  private replay(subscriber: Subscriber, lastSeq: number): void {
    const { messages } = this.context.publisher.history.since(lastSeq);
    for (const message of messages) {
      if (subscriber.firstLiveSeq !== -1 && message.seq >= subscriber.firstLiveSeq) break;
      subscriber.socket.write(buildTextFrame(message.json));
    }
  }

  private closeForInvalidInput(subscriber: Subscriber, code: number, reason: string, detail: string): void {
    countRejection(this.context.counters, `${code} ${reason}`);
    this.subscribers.delete(subscriber);
    subscriber.ws.close(code, detail);
  }

  private broadcast(seq: number, frame: Buffer): void {
    const { settings, counters } = this.context;
    for (const subscriber of this.subscribers) {
      if (!subscriber.socket.writable) continue;
      const decision = decideSend(subscriber.socket.writableLength, settings, counters);
      if (decision === 'drop') continue;
      if (decision === 'close') {
        this.closeSlowSubscriber(subscriber);
        continue;
      }
      if (subscriber.firstLiveSeq === -1) subscriber.firstLiveSeq = seq;
      subscriber.socket.write(frame);
    }
  }

  /**
   * Closes a subscriber that does not read. Its close frame waits behind
   * the buffered messages, so the socket is dropped after a short grace
   * period instead of ws's 30 s closing timeout.
   */
  private closeSlowSubscriber(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    subscriber.ws.close(CLOSE_CODE.POLICY_VIOLATION, backpressureReason(this.context.settings));
    setTimeout(() => subscriber.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  private publishOnStream(stream: string, message: StoredMessage): void {
    const subscribers = this.streamSubscribers.of(stream);
    if (!subscribers) return;
    const frame = buildTextFrame(message.json);
    for (const subscriber of subscribers) {
      if (subscriber.socket.writable) subscriber.socket.write(frame);
    }
  }

  /** A member sent a message over its socket: the room gets it, the sender included. */
  private relay(stream: string, data: RawData, isBinary: boolean): void {
    const problem = isBinary ? 'binary messages are not relayed' : this.context.streams.relay(stream, data.toString());
    if (problem !== undefined) this.context.counters.rejected++;
  }

  /** Terminates every subscriber that did not answer the previous ping. */
  private checkHeartbeats(): void {
    for (const subscriber of this.subscribers) this.checkHeartbeat(subscriber);
    for (const subscriber of this.streamSubscribers.all()) this.checkHeartbeat(subscriber);
  }

  private checkHeartbeat(subscriber: Subscriber): void {
    if (!subscriber.alive) {
      this.context.counters.deadPeersClosed++;
      if (subscriber.stream === undefined) this.subscribers.delete(subscriber);
      else this.streamSubscribers.delete(subscriber.stream, subscriber);
      subscriber.ws.terminate();
      return;
    }
    subscriber.alive = false;
    subscriber.ws.ping();
  }
}
