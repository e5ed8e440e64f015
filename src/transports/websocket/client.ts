import type { ClientRequestArgs } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import { parseMessage } from '../message.js';
import { CountingConnector } from '../counting-connector.js';
import { withStream } from '../stream-route.js';
import type { ClientOptions, SimulatedClient } from '../types.js';
import { WEBSOCKET_PATH } from './server.js';

/**
 * A WebSocket subscriber on the `ws` client. Without a resume protocol a
 * WebSocket client that loses its connection also loses whatever was
 * published meanwhile: this client does not reconnect, so such loss shows
 * up in the counts instead of being papered over.
 */
export class WebSocketClient implements SimulatedClient {
  private ws: WebSocket | undefined;
  private readonly connector: CountingConnector;
  private closed = false;

  constructor(private readonly options: ClientOptions) {
    this.connector = new CountingConnector(options.localAddress);
  }

  connect(): void {
    const url = new URL(withStream(WEBSOCKET_PATH, this.options.stream), this.options.baseUrl.replace(/^http/, 'ws'));
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      // The reference server sends ASCII JSON; UTF-8 validation would cost
      // CPU in the generator without testing the transport.
      skipUTF8Validation: true,
      createConnection: (options: ClientRequestArgs) =>
        this.connector.open(String(options.hostname ?? options.host ?? url.hostname), Number(options.port)),
    });
    this.ws = ws;

    ws.on('open', () => this.options.events.onOpen());
    ws.on('message', (data, isBinary) => this.handleMessage(data, isBinary));
    ws.on('error', (error) => this.options.events.onError(error));
    ws.on('close', (code) => {
      if (!this.closed && code !== 1000) {
        this.options.events.onError(new Error(`WebSocket closed by the server with code ${code}`));
      }
    });
  }

  close(): void {
    this.closed = true;
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

  requestsSent(): number {
    return this.ws ? 1 : 0;
  }

  private handleMessage(data: RawData, isBinary: boolean): void {
    const receivedNs = process.hrtime.bigint();
    if (isBinary) return;
    const message = parseMessage(data.toString());
    if (message) this.options.events.onMessage(message, receivedNs);
  }
}
