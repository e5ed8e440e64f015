import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import type { Duplex } from 'node:stream';
import { PortInUseError, RtbenchError } from '../errors.js';
import { echo, rejectRequest, rejectSocket } from '../transports/http-reply.js';
import { findTransport } from '../transports/registry.js';
import { routePath } from '../transports/route.js';
import type { ServerCounters, ServerSettings, TransportName, TransportServer } from '../transports/types.js';
import { HttpGuard } from './http-guard.js';
import { DEFAULT_SERVER_LIMITS, effectiveMaxConnections } from './limits.js';
import { spinMicroseconds } from './inject-cost.js';
import { handlePublish, PUBLISH_PATH } from './publish-route.js';
import { Publisher, type PublisherOptions } from './publisher.js';
import { StreamHub } from './streams.js';
import { sampleHeap, type HeapSample } from '../metrics/heap.js';

export interface ReferenceServerOptions extends ServerSettings, PublisherOptions {
  transport: TransportName;
  /** Loopback address to listen on. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * Pending-connection queue length for listen(). Node's default of 511
   * overflowed thousands of times when 10,000 clients connected at once; the
   * kernel caps it at net.core.somaxconn.
   */
  backlog: number;
  /**
   * Artificial cost the server busy-waits per message and subscriber before
   * each fan-out, µs (calibration): a known per-message cost gives a known limit.
   */
  injectCostUs: number;
}

export const DEFAULT_SERVER_SETTINGS = {
  host: '127.0.0.1',
  port: 0,
  backlog: 16_384,
  heartbeatMs: 15_000,
  holdMs: 30_000,
  maxPayloadBytes: 64 * 1024,
  historySize: 4096,
  payloadBytes: 256,
  injectDelayMs: 0,
  ...DEFAULT_SERVER_LIMITS,
  injectCostUs: 0,
} as const;

/** Figures a reference server reports about itself; RSS and CPU come from /proc, read by the parent. */
export interface ServerStats {
  subscribers: number;
  /** Bytes written to every client socket since start, headers and framing included. */
  bytesWritten: number;
  connectionsAccepted: number;
  openConnections: number;
  /** Distinct remote addresses among the open connections: more than one when clients spread over 127.0.0.x. */
  sourceAddresses: number;
  heap: HeapSample;
  /** Memory of Buffers and other objects outside the V8 heap: where queued socket writes live. */
  externalBytes: number;
  counters: ServerCounters;
}

/** A publisher, a transport's server half and the node:http server they share. */
export class ReferenceServer {
  readonly publisher: Publisher;
  /** Topics and rooms, next to the publisher's broadcast stream. */
  readonly streams: StreamHub;
  readonly counters: ServerCounters = {
    rejected: 0,
    pollsAnswered: 0,
    deadPeersClosed: 0,
    rejections: {},
    backpressureDrops: 0,
    backpressureCloses: 0,
    acceptErrors: 0,
  };
  private readonly http: Server;
  private readonly guard: HttpGuard;
  private readonly transportServer: TransportServer;
  private readonly sockets = new Set<Socket>();
  private closedSocketBytes = 0;
  private connectionsAccepted = 0;
  private listeningPort = 0;

  private constructor(readonly options: ReferenceServerOptions) {
    this.publisher = new Publisher(options);
    this.guard = new HttpGuard(this.counters, options, effectiveMaxConnections(options));
    this.http = createServer({
      // Slow or half-open clients must not hold a socket forever (slowloris).
      // The timeouts are enforced when node:http checks its connections,
      // every 30 s by default; checking more often keeps them close to
      // their values.
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(5_000, Math.max(100, options.headersTimeoutMs / 2)),
      // Long-poll clients re-poll on the same connection; keep it open between polls.
      keepAliveTimeout: options.holdMs + 5_000,
      maxHeaderSize: options.maxHeaderBytes,
    });
    this.streams = new StreamHub(options.historySize);
    // Registered before the transport's fan-out, so every subscriber waits for the whole cost.
    if (options.injectCostUs > 0) this.injectCost(options.injectCostUs);
    const transport = findTransport(options.transport);
    this.transportServer = transport.attachServer({
      publisher: this.publisher,
      streams: this.streams,
      settings: options,
      counters: this.counters,
    });
    this.http.on('connection', (socket: Socket) => this.trackSocket(socket));
    this.http.on('request', (request, response) => this.route(request, response));
    this.http.on('upgrade', (request, socket, head) => this.routeUpgrade(request, socket, head));
    this.http.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => this.guard.handleClientError(error, socket));
  }

  static async start(options: ReferenceServerOptions): Promise<ReferenceServer> {
    const server = new ReferenceServer(options);
    await server.listen();
    return server;
  }

  get port(): number {
    return this.listeningPort;
  }

  get url(): string {
    return `http://${this.options.host}:${this.listeningPort}`;
  }

  stats(): ServerStats {
    let liveBytes = 0;
    const addresses = new Set<string | undefined>();
    for (const socket of this.sockets) {
      liveBytes += socket.bytesWritten;
      addresses.add(socket.remoteAddress);
    }
    return {
      subscribers: this.transportServer.subscriberCount(),
      bytesWritten: this.closedSocketBytes + liveBytes,
      connectionsAccepted: this.connectionsAccepted,
      openConnections: this.sockets.size,
      sourceAddresses: addresses.size,
      heap: sampleHeap(),
      externalBytes: getHeapStatistics().external_memory,
      counters: { ...this.counters, rejections: { ...this.counters.rejections } },
    };
  }

  /**
   * Destroys a fraction of the open client sockets abruptly, as a crashed
   * proxy or a network fault would. Returns how many were destroyed.
   */
  dropConnections(fraction: number): number {
    const sockets = [...this.sockets];
    const count = Math.round(sockets.length * Math.min(1, Math.max(0, fraction)));
    for (const socket of sockets.slice(0, count)) socket.destroy();
    return count;
  }

  async close(): Promise<void> {
    this.publisher.stop();
    this.transportServer.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private listen(): Promise<void> {
    const { host, port, backlog } = this.options;
    return new Promise((resolve, reject) => {
      this.http.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') reject(new PortInUseError(host, port));
        else reject(new RtbenchError('ERR_LISTEN', `cannot listen on ${host}:${port}: ${error.message}`));
      });
      this.http.listen({ host, port, backlog }, () => {
        const address = this.http.address();
        this.listeningPort = typeof address === 'object' && address ? address.port : port;
        // Without a listener, an accept() error such as EMFILE would end the process.
        this.http.on('error', () => this.guard.handleServerError());
        resolve();
      });
    });
  }

  private trackSocket(socket: Socket): void {
    this.connectionsAccepted++;
    this.guard.noteConnection(socket, this.sockets.size);
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.closedSocketBytes += socket.bytesWritten;
    });
  }

  private injectCost(costUs: number): void {
    this.publisher.onPublish(() => spinMicroseconds(costUs * this.transportServer.subscriberCount()));
    this.streams.onPublish((stream) => spinMicroseconds(costUs * this.transportServer.streamSubscriberCount(stream)));
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    if (!this.guard.checkRequest(request, response)) return;
    // startsWith first: every long poll passes here, and routePath allocates a string.
    if (request.url?.startsWith(PUBLISH_PATH) && routePath(request) === PUBLISH_PATH) {
      handlePublish(request, response, this.streams, this.counters, this.options.maxPayloadBytes);
      return;
    }
    if (this.transportServer.handleRequest(request, response)) return;
    rejectRequest(this.counters, response, 404, 'unknown-route', `no route ${request.method} ${echo(request.url ?? '')} on this ${this.options.transport} server`);
  }

  private routeUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.guard.checkUpgrade(request, socket)) return;
    if (this.transportServer.handleUpgrade?.(request, socket, head)) return;
    rejectSocket(this.counters, socket, 404, 'unknown-route');
  }
}
