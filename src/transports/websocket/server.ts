import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { routePath } from '../route.js';
import type { ServerContext, TransportServer } from '../types.js';
import { buildTextFrame } from './frame.js';

export const WEBSOCKET_PATH = '/ws';

interface Subscriber {
  ws: WebSocket;
  socket: Duplex;
  alive: boolean;
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
    this.heartbeat = setInterval(() => this.checkHeartbeats(), context.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const subscriber of this.subscribers) subscriber.ws.terminate();
    this.subscribers.clear();
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
    this.wss.handleUpgrade(request, socket, head, (ws) => this.register(ws, socket));
    return true;
  }

  private register(ws: WebSocket, socket: Duplex): void {
    const subscriber: Subscriber = { ws, socket, alive: true };
    this.subscribers.add(subscriber);
    ws.on('pong', () => {
      subscriber.alive = true;
    });
    ws.on('close', () => this.subscribers.delete(subscriber));
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

  /** Terminates every subscriber that did not answer the previous ping. */
  private checkHeartbeats(): void {
    for (const subscriber of this.subscribers) {
      if (!subscriber.alive) {
        this.context.counters.deadPeersClosed++;
        this.subscribers.delete(subscriber);
        subscriber.ws.terminate();
        continue;
      }
      subscriber.alive = false;
      subscriber.ws.ping();
    }
  }
}
