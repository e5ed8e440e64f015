import { Client, type Dispatcher } from 'undici';
import { isWireMessage } from '../message.js';
import { CountingConnector } from '../counting-connector.js';
import { withStream } from '../stream-route.js';
import { undiciConnect } from '../undici-connector.js';
import type { ClientOptions, SimulatedClient } from '../types.js';
import { POLL_PATH } from './server.js';

/** Wait before re-polling after a failed request, ms; doubles up to the maximum. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;

interface PollBody {
  cursor: number;
  missed: number;
  messages: unknown[];
}

/**
 * A long-polling subscriber: one undici Client (one keep-alive connection)
 * per subscriber and the raw dispatch API. A shared Agent or Pool scans all
 * its connections to pick a free one, which cost a third of the generator's
 * CPU at 10,000 pollers in a prototype on a 2-core machine; request() adds a
 * Readable stream per poll. The class is its own dispatch handler, in the
 * handler form that Client calls directly.
 */
export class LongPollClient implements SimulatedClient, Dispatcher.DispatchHandler {
  private readonly connector: CountingConnector;
  private readonly client: Client;
  private cursor: number | undefined;
  private chunks: Buffer[] = [];
  private statusCode = 0;
  private opened = false;
  private closed = false;
  /** Set from a failed poll until a later poll is written on a connected socket. */
  private lost = false;
  private paused = false;
  private requests = 0;
  private retryMs = RETRY_MIN_MS;
  private abortRequest: ((error?: Error) => void) | undefined;
  /** undici's callback that continues a response paused by onData returning false. */
  private resumeResponse: (() => void) | undefined;

  constructor(private readonly options: ClientOptions) {
    this.connector = new CountingConnector(options.localAddress);
    this.client = new Client(options.baseUrl, {
      connect: undiciConnect(this.connector),
      pipelining: 1,
      // The server holds a poll for up to its hold timeout before any
      // header is sent, so neither timeout may be shorter than that.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 60_000,
    });
  }

  connect(): void {
    this.poll();
  }

  close(): void {
    this.closed = true;
    this.abortRequest?.();
    void this.client.destroy().catch(() => undefined);
  }

  bytesReceived(): number {
    return this.connector.bytesReceived();
  }

  requestsSent(): number {
    return this.requests;
  }

  /**
   * undici calls this as it writes the request on a connected socket. After
   * a failed poll that is the moment the client is subscribed again, because
   * the server keeps the poll from its arrival. The first response would come
   * only with the next message, which is no part of the reconnect.
   */
  onConnect(abort: (error?: Error) => void): void {
    this.abortRequest = abort;
    if (this.lost) {
      this.lost = false;
      this.options.events.onReconnect();
    }
  }

  onHeaders(statusCode: number, _headers: Buffer[] | string[] | null, resume: () => void): boolean {
    this.statusCode = statusCode;
    this.resumeResponse = resume;
    this.chunks = [];
    return true;
  }

  /** Returning false pauses the response: undici stops reading the socket until resumeResponse is called. */
  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return !this.paused;
  }

  pauseReading(): void {
    this.paused = true;
  }

  resumeReading(): void {
    this.paused = false;
    this.resumeResponse?.();
  }

  onComplete(): void {
    const receivedNs = process.hrtime.bigint();
    if (this.closed) return;

    if (this.statusCode === 200) {
      this.retryMs = RETRY_MIN_MS;
      this.handleBody(Buffer.concat(this.chunks).toString('utf8'), receivedNs);
      this.chunks = [];
      this.poll();
    } else if (this.statusCode === 204) {
      this.poll();
    } else {
      this.options.events.onError(Object.assign(new Error(`poll failed with HTTP ${this.statusCode}`), { code: `HTTP_${this.statusCode}` }));
      this.markLost();
      this.retryLater();
    }
  }

  onError(error: Error): void {
    if (this.closed) return;
    this.options.events.onError(error);
    this.markLost();
    this.retryLater();
  }

  private markLost(): void {
    if (!this.opened || this.lost) return;
    this.lost = true;
    this.options.events.onDisconnect();
  }

  private poll(): void {
    if (this.closed) return;
    this.requests++;
    const path = this.cursor === undefined ? POLL_PATH : `${POLL_PATH}?cursor=${this.cursor}`;
    this.client.dispatch({ method: 'GET', path: withStream(path, this.options.stream) }, this);
  }

  private handleBody(text: string, receivedNs: bigint): void {
    let body: PollBody;
    try {
      body = JSON.parse(text) as PollBody;
    } catch {
      this.options.events.onError(new Error('poll response body is not valid JSON'));
      return;
    }

    if (!this.opened) {
      this.opened = true;
      this.options.events.onOpen();
    }
    for (const message of body.messages) {
      if (isWireMessage(message)) this.options.events.onMessage(message, receivedNs);
    }
    if (Number.isInteger(body.cursor)) this.cursor = body.cursor;
  }

  private retryLater(): void {
    const delay = this.retryMs;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    setTimeout(() => this.poll(), delay).unref();
  }
}
