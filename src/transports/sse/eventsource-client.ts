import { EventSource } from 'eventsource';
import { parseMessage } from '../message.js';
import { withStream } from '../stream-route.js';
import type { ClientOptions, SimulatedClient } from '../types.js';
import { SSE_PATH } from './server.js';

/**
 * The browser-faithful SSE subscriber: one `eventsource` instance (the
 * WHATWG EventSource on fetch) per subscriber. It reconnects and sends
 * Last-Event-ID exactly as a browser does, but it costs several times the
 * memory and CPU of the lean client, so at thousands of subscribers the
 * generator, not the server, may become what is measured.
 */
export class EventSourceClient implements SimulatedClient {
  private source: EventSource | undefined;
  private opened = false;
  private lost = false;

  constructor(private readonly options: ClientOptions) {}

  connect(): void {
    const source = new EventSource(new URL(withStream(SSE_PATH, this.options.stream), this.options.baseUrl));
    this.source = source;
    source.onopen = () => {
      if (!this.opened) {
        this.opened = true;
        this.options.events.onOpen();
      } else if (this.lost) {
        this.lost = false;
        this.options.events.onReconnect();
      }
    };
    source.onmessage = (event) => {
      const receivedNs = process.hrtime.bigint();
      const message = parseMessage(event.data);
      if (message) this.options.events.onMessage(message, receivedNs);
    };
    source.onerror = (event) => {
      this.options.events.onError(new Error(`EventSource error: ${event.message ?? 'connection lost'}`));
      if (this.opened && !this.lost) {
        this.lost = true;
        this.options.events.onDisconnect();
      }
    };
  }

  close(): void {
    this.source?.close();
  }

  /**
   * NOTE: fetch hides the socket, so this client cannot count wire bytes;
   * it reports 0. For the same reason it has no pauseReading, and
   * --slow-clients leaves it reading at full speed.
   */
  bytesReceived(): number {
    return 0;
  }

  requestsSent(): number {
    return this.source ? 1 : 0;
  }
}
