import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StoredMessage } from '../../server/history.js';
import { routePath } from '../route.js';
import { streamParameter } from '../stream-route.js';
import { StreamSubscribers } from '../stream-subscribers.js';
import type { ServerContext, TransportServer } from '../types.js';
import { buildTextFrame } from './frame.js';

export const WEBSOCKET_PATH = '/ws';

interface Subscriber {
  ws: WebSocket;
  socket: Duplex;
  alive: boolean;
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

    context.publisher.onPublish((message) => this.broadcast(buildTextFrame(message.json)));
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
    this.context.counters.rejected++;
    response.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain' });
    response.end('this route expects a WebSocket upgrade\n');
    return true;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (routePath(request) !== WEBSOCKET_PATH) return false;
    const parameter = streamParameter(request);
    if ('error' in parameter) {
      this.context.counters.rejected++;
      socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${parameter.error}\n`);
      return true;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.register(ws, socket, parameter.stream));
    return true;
  }

  private register(ws: WebSocket, socket: Duplex, stream: string | undefined): void {
    const subscriber: Subscriber = { ws, socket, alive: true, stream };
    if (stream === undefined) {
      this.subscribers.add(subscriber);
      ws.on('close', () => this.subscribers.delete(subscriber));
    } else {
      this.streamSubscribers.add(stream, subscriber);
      ws.on('close', () => this.streamSubscribers.delete(stream, subscriber));
      ws.on('message', (data, isBinary) => this.relay(stream, data, isBinary));
    }
    ws.on('pong', () => {
      subscriber.alive = true;
    });
    ws.on('error', () => {
      // An invalid frame or an oversized message: ws closes the connection
      // with the matching close code (1002, 1007, 1009) and emits close.
      this.context.counters.rejected++;
    });
  }

  private broadcast(frame: Buffer): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.socket.writable) subscriber.socket.write(frame);
    }
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
