import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerLimits } from '../server/limits.js';
import type { Publisher } from '../server/publisher.js';
import type { StreamHub } from '../server/streams.js';
import type { WireMessage } from './message.js';
import type { StreamSubscription } from './stream-route.js';

export type TransportName = 'long-polling' | 'sse' | 'websocket';

/** Limits and intervals a reference server applies; each transport reads the ones it needs. */
export interface ServerSettings extends ServerLimits {
  /** SSE heartbeat comment interval and WebSocket ping interval, ms. */
  heartbeatMs: number;
  /** How long a long-poll request is held before a 204, ms. */
  holdMs: number;
  /** Largest WebSocket message a client may send, bytes. */
  maxPayloadBytes: number;
}

/** Counters a reference server reports; every transport adds to the same ones. */
export interface ServerCounters {
  /** Requests rejected with an error status, or connections closed for a protocol error. */
  rejected: number;
  /** Long-poll responses sent (with messages or with 204). */
  pollsAnswered: number;
  /** Subscribers closed by the heartbeat because they sent no pong or read nothing. */
  deadPeersClosed: number;
  /** `rejected`, by reason: the status or close code and what was wrong. */
  rejections: Record<string, number>;
  /** Messages not sent to a subscriber because its send buffer was above the limit. */
  backpressureDrops: number;
  /** Subscribers closed because their send buffer was above the limit. */
  backpressureCloses: number;
  /** Connections that accept() failed on, for example with EMFILE. */
  acceptErrors: number;
}

/** Counts one rejected request or connection, in the total and under its reason. */
export function countRejection(counters: ServerCounters, reason: string): void {
  counters.rejected++;
  counters.rejections[reason] = (counters.rejections[reason] ?? 0) + 1;
}

export interface ServerContext {
  publisher: Publisher;
  /** Topics and rooms, requested with `?topic=` or `?room=`. */
  streams: StreamHub;
  settings: ServerSettings;
  counters: ServerCounters;
}

/** The server half of a transport, attached to the reference server's HTTP server. */
export interface TransportServer {
  /** Handles a request on this transport's routes; returns false for any other route. */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
  /** Handles an HTTP Upgrade on this transport's routes; returns false for any other route. */
  handleUpgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Clients currently subscribed (open streams, sockets, or held polls plus recent pollers). */
  subscriberCount(): number;
  /** Clients currently subscribed to one topic or room (for long polling: polls held on it). */
  streamSubscriberCount(stream: string): number;
  /** Stops heartbeats and ends every subscriber. */
  close(): void;
}

/** Callbacks through which a simulated client reports to the load generator. */
export interface ClientEvents {
  /** The subscription is established: counts as connected, once per client. */
  onOpen(): void;
  onMessage(message: WireMessage, receivedNs: bigint): void;
  /** A connection-level failure; the client may retry on its own. */
  onError(error: Error): void;
  /** The open subscription was lost and the client is about to retry. Repeats before a reconnect are ignored. */
  onDisconnect(): void;
  /** The subscription is established again after onDisconnect. */
  onReconnect(): void;
}

export interface ClientOptions {
  /** Base URL of the reference server, for example http://127.0.0.1:8080. */
  baseUrl: string;
  events: ClientEvents;
  /** Local source address for the socket, so connections can spread over 127.0.0.x. */
  localAddress?: string;
  /** Client implementation, one of the transport's `clientImplementations`; the first by default. */
  implementation?: string;
  /** WebSocket only: after a reconnect, ask the server to replay from the last sequence number received. */
  resume?: boolean;
  /** The topic or room to subscribe to; the broadcast stream when undefined. */
  stream?: StreamSubscription;
}

/** The client half of a transport: one simulated subscriber. */
export interface SimulatedClient {
  connect(): void;
  /** Closes for good: no reconnect after this. */
  close(): void;
  /** Bytes read from the client's sockets, HTTP headers and framing included. */
  bytesReceived(): number;
  /** HTTP requests sent (one per long poll); 1 per connection for streaming transports. */
  requestsSent(): number;
  /**
   * Stops reading from the socket, so the kernel buffers fill and the
   * server meets backpressure. Absent when the implementation cannot pause.
   */
  pauseReading?(): void;
  resumeReading?(): void;

  /**
   * Sends a message upstream over the client's own connection; only
   * transports with a client-to-server channel (WebSocket) have it. The
   * others send with an HTTP POST to /publish.
   */
  send?(text: string): void;
}

/** Description of one transport: its names, server half and client half. A new transport is one folder exporting this. */
export interface Transport {
  name: TransportName;
  /** Other names the CLI accepts, for example `ws`. */
  aliases: readonly string[];
  /** One line for help texts. */
  summary: string;
  /** Client implementations this transport offers; the first is the default. */
  clientImplementations: readonly string[];
  attachServer(context: ServerContext): TransportServer;
  createClient(options: ClientOptions): SimulatedClient;
}
