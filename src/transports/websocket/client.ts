import type { ClientRequestArgs } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import { backoffDelayMs, WEBSOCKET_BACKOFF } from '../backoff.js';
import { parseMessage } from '../message.js';
import { CountingConnector } from '../counting-connector.js';
import { withStream } from '../stream-route.js';
import type { ClientOptions, SimulatedClient } from '../types.js';
import { encodeResume } from './resume.js';
import { WEBSOCKET_PATH } from './server.js';

/** RFC 6455 §7.4.1: "indicates a normal closure". */
const NORMAL_CLOSURE = 1000;

/**
 * A WebSocket subscriber on the `ws` client. After a lost connection it
 * reconnects with exponential back-off and jitter, as an application must
 * build for itself. By default it does not resume, so whatever was published
 * meanwhile is lost and shows in the counts. With `resume`, it sends the
 * last sequence number it received and the server replays from its history.
 */
export class WebSocketClient implements SimulatedClient {
  private ws: WebSocket | undefined;
  private readonly connector: CountingConnector;
  private closed = false;
  private opened = false;
  private lost = false;
  /** Whether the current connection completed its handshake. */
  private connectionOpen = false;
  private paused = false;
  private attempt = 0;
  private handshakes = 0;
  private lastSeq = -1;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ClientOptions) {
    this.connector = new CountingConnector(options.localAddress);
  }

  connect(): void {
    if (this.closed) return;
    const url = new URL(withStream(WEBSOCKET_PATH, this.options.stream), this.options.baseUrl.replace(/^http/, 'ws'));
    this.handshakes++;
    this.connectionOpen = false;
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      // The reference server sends ASCII JSON; UTF-8 validation would cost
      // CPU in the generator without testing the transport.
      skipUTF8Validation: true,
      createConnection: (options: ClientRequestArgs) =>
        this.connector.open(String(options.hostname ?? options.host ?? url.hostname), Number(options.port)),
    });
    this.ws = ws;

    ws.on('open', () => this.handleOpen(ws));
    ws.on('message', (data, isBinary) => this.handleMessage(data, isBinary));
    ws.on('error', (error) => this.options.events.onError(error));
    ws.on('close', (code) => this.handleClose(code));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.ws?.terminate();
  }

  bytesReceived(): number {
    return this.connector.bytesReceived();
  }

  /** Sends a text message to the room over this client's socket; throws when the socket is not open. */
  send(text: string): void {
    if (this.ws?.readyState !== WebSocket.OPEN) {
      throw Object.assign(new Error('the WebSocket is not open'), { code: 'ENOTOPEN' });
    }
    this.ws.send(text);
  }

  /** Opening handshakes sent: one per connection attempt. */
  requestsSent(): number {
    return this.handshakes;
  }

  pauseReading(): void {
    this.paused = true;
    this.ws?.pause();
  }

  resumeReading(): void {
    this.paused = false;
    this.ws?.resume();
  }

  private handleOpen(ws: WebSocket): void {
    this.attempt = 0;
    this.connectionOpen = true;
    if (this.paused) ws.pause();
    if (!this.opened) {
      this.opened = true;
      this.options.events.onOpen();
      return;
    }
    if (this.options.resume && this.lastSeq >= 0) ws.send(encodeResume(this.lastSeq));
    if (this.lost) {
      this.lost = false;
      this.options.events.onReconnect();
    }
  }

  private handleMessage(data: RawData, isBinary: boolean): void {
    const receivedNs = process.hrtime.bigint();
    if (isBinary) return;
    const message = parseMessage(data.toString());
    if (!message) return;
    if (message.seq > this.lastSeq) this.lastSeq = message.seq;
    this.options.events.onMessage(message, receivedNs);
  }

  /**
   * Any close this client did not ask for starts a reconnect, once it was
   * open. A first connection that fails is reported through `error` and
   * counts as a failed client. A reconnect attempt that fails was already
   * reported through `error` too, so only the close of an open connection
   * is reported here.
   */
  private handleClose(code: number): void {
    if (this.closed || !this.opened) return;
    if (this.connectionOpen && code !== NORMAL_CLOSURE) {
      this.options.events.onError(Object.assign(new Error(`WebSocket closed by the server with code ${code}`), { code: `WS_CLOSE_${code}` }));
    }
    if (!this.lost) {
      this.lost = true;
      this.options.events.onDisconnect();
    }
    const delay = backoffDelayMs(this.attempt++, WEBSOCKET_BACKOFF);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref();
  }
}
