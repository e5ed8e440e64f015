import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { echo, rejectRequest, rejectSocket } from '../transports/http-reply.js';
import { countRejection, type ServerCounters } from '../transports/types.js';
import type { ServerLimits } from './limits.js';

/**
 * Parser errors that node:http reports through 'clientError', with the
 * status each gets. Anything else unparseable is a 400.
 */
const CLIENT_ERROR_STATUS: Record<string, { status: number; reason: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'header-too-large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'request-timeout' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, reason: 'headers-timeout' },
};

/**
 * Errors that mean the peer went away in the middle of a request. No
 * client is left to respond to, and counting them as rejections would double-count a
 * connection that a timeout or limit already closed.
 */
const PEER_GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

/**
 * The checks a reference server applies before any transport handles a
 * request: the connection limit, the URL length, and responses with the
 * right status for requests that node:http could not parse or that timed
 * out. Every rejection is counted under its status and reason.
 */
export class HttpGuard {
  /** Connections accepted while the server was full; their first request gets 503. */
  private readonly overLimit = new WeakSet<Socket>();
  /** The unfinished response of each connection. */
  private readonly activeResponses = new WeakMap<Socket, ServerResponse>();

  constructor(
    private readonly counters: ServerCounters,
    private readonly limits: ServerLimits,
    private readonly maxConnections: number,
  ) {}

  /**
   * Marks a new connection that exceeds the limit. It is rejected with 503
   * when its request arrives, because a response written before the
   * request would race the client's own write; one that never sends a
   * request is closed by the headers timeout.
   */
  noteConnection(socket: Socket, openConnections: number): void {
    if (openConnections >= this.maxConnections) this.overLimit.add(socket);
  }

  /** Checks what every request must pass; responds and returns false when it fails. */
  checkRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.trackResponse(request.socket, response)) {
      // node:http may still emit requests it parsed from the same chunk; the connection counts once.
      if (!request.socket.destroyed) countRejection(this.counters, 'closed pipelined-request');
      request.socket.destroy();
      return false;
    }
    if (this.overLimit.has(request.socket)) {
      rejectRequest(this.counters, response, 503, 'connection-limit', `this server holds its limit of ${this.maxConnections} connections: retry later`, { 'Retry-After': '1' });
      return false;
    }
    const url = request.url ?? '';
    if (url.length <= this.limits.maxUrlBytes) return true;
    rejectRequest(this.counters, response, 414, 'url-too-long', `request target of ${url.length} bytes is longer than the limit of ${this.limits.maxUrlBytes}`);
    return false;
  }

  /** Applies the same checks to an HTTP Upgrade request, responding on the raw socket. */
  checkUpgrade(request: IncomingMessage, socket: Duplex): boolean {
    if (this.overLimit.has(request.socket)) {
      rejectSocket(this.counters, socket, 503, 'connection-limit');
      return false;
    }
    const url = request.url ?? '';
    if (url.length <= this.limits.maxUrlBytes) return true;
    rejectSocket(this.counters, socket, 414, 'url-too-long');
    return false;
  }

  /**
   * Marks the connection busy until `response` ends; false when an earlier
   * response on it is unfinished. A request pipelined behind an SSE stream
   * or a held poll waits a long time or forever. node:http keeps parsing and
   * queueing such requests, so a client that pipelines thousands of them
   * could make the server keep a response for each. No client that reads
   * its responses pipelines behind them (undici here runs one request per
   * connection at a time, and browsers do not pipeline), so the connection
   * is closed: a status code queued behind the stream would never arrive.
   */
  private trackResponse(socket: Socket, response: ServerResponse): boolean {
    if (this.activeResponses.has(socket)) return false;
    this.activeResponses.set(socket, response);
    response.once('close', () => {
      if (this.activeResponses.get(socket) === response) this.activeResponses.delete(socket);
    });
    return true;
  }

  /** Answers a request that node:http rejected (bad syntax, oversized header, timeout). */
  handleClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    const code = error.code ?? 'unknown';
    if (PEER_GONE_CODES.has(code) || !socket.writable) {
      socket.destroy();
      return;
    }
    const known = CLIENT_ERROR_STATUS[code];
    if (known) {
      rejectSocket(this.counters, socket, known.status, known.reason);
      return;
    }
    rejectSocket(this.counters, socket, 400, `malformed-request ${code}`, `malformed request: ${echo(error.message)}`);
  }

  /**
   * Counts an error of the listening server. After listen() these come
   * from accept() (EMFILE, ENFILE, ENOMEM): libuv has already closed the
   * pending connection, and the server keeps serving the others.
   */
  handleServerError(): void {
    this.counters.acceptErrors++;
  }
}
