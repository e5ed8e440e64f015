import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { countRejection, type ServerCounters } from './types.js';

/** Longest piece of client input echoed back in an error body, characters. */
const ECHO_LIMIT = 64;

/** Client input shortened for an error message, so a huge header is never echoed back whole. */
export function echo(value: string): string {
  return value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}...` : value;
}

/**
 * Answers a request with an error status and a one-line plain-text body,
 * and counts it under `reason`. The connection closes afterwards, because a
 * client that sent invalid input may not frame its next request correctly.
 */
export function rejectRequest(
  counters: ServerCounters,
  response: ServerResponse,
  status: number,
  reason: string,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  countRejection(counters, `${status} ${reason}`);
  response.shouldKeepAlive = false;
  response.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close', ...headers });
  response.end(`${message}\n`);
}

/** Answers on a raw socket (an upgrade request, or a connection before any request) and closes it. */
export function rejectSocket(counters: ServerCounters, socket: Duplex, status: number, reason: string, message = ''): void {
  countRejection(counters, `${status} ${reason}`);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = message === '' ? '' : `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `Connection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Whether a subscription from this request's Origin is allowed. Browsers
 * send Origin with every WebSocket handshake and cross-origin EventSource,
 * so the list stops other sites' pages from subscribing. Clients outside a
 * browser send none, and a missing Origin is allowed.
 */
export function isOriginAllowed(request: IncomingMessage, allowedOrigins: readonly string[] | null): boolean {
  const origin = request.headers.origin;
  if (allowedOrigins === null || origin === undefined) return true;
  return allowedOrigins.includes(origin);
}
