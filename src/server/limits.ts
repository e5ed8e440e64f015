import { readOpenFilesLimit } from '../metrics/proc-stats.js';

/** What a reference server does with a subscriber whose send buffer is above the limit. */
export type BackpressurePolicy = 'drop' | 'close';

export const BACKPRESSURE_POLICIES: readonly BackpressurePolicy[] = ['drop', 'close'];

/**
 * Limits that keep a reference server alive and its memory bounded under
 * hostile or broken clients. Every value is in the unit its name ends with.
 */
export interface ServerLimits {
  /**
   * Bytes a subscriber's socket may hold in the server's user-space write
   * buffer, on top of what the kernel already accepted, before the
   * backpressure policy applies. The buffer can exceed it by one message.
   */
  sendBufferLimitBytes: number;
  backpressurePolicy: BackpressurePolicy;
  /** Largest request body a route that reads one accepts; larger bodies get 413. */
  maxBodyBytes: number;
  /** Largest request line plus headers; node:http answers larger ones with 431. */
  maxHeaderBytes: number;
  /** Longest request target (path and query); longer ones get 414. */
  maxUrlBytes: number;
  /** Open connections beyond this get 503; 0 derives it from the descriptor limit. */
  maxConnections: number;
  /** Origins allowed to open WebSocket and SSE subscriptions; null allows any. Requests without Origin are always allowed. */
  allowedOrigins: string[] | null;
  /** Time a client has to send the complete request headers, ms (slowloris). */
  headersTimeoutMs: number;
  /** Time a client has to send the complete request, ms. */
  requestTimeoutMs: number;
}

/**
 * Defaults. The send-buffer limit and the drop policy follow uWebSockets.js,
 * whose `maxBackpressure` skips slow receivers instead of closing them
 * unless `closeOnBackpressureLimit` is set; engine.io passes 1 MiB to it.
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  sendBufferLimitBytes: 1024 * 1024,
  backpressurePolicy: 'drop',
  maxBodyBytes: 64 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxUrlBytes: 8 * 1024,
  maxConnections: 0,
  allowedOrigins: null,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
};

/** Descriptors a server keeps for itself: stdio, IPC, the listener, libuv internals. */
const SERVER_DESCRIPTOR_RESERVE = 64;

/** Used when the descriptor limit cannot be read (not Linux) and no limit is set. */
const FALLBACK_MAX_CONNECTIONS = 100_000;

/**
 * The connection limit a server applies. Without an explicit one it stays
 * below the descriptor limit, so that a flood is answered with 503 instead
 * of accept() failing with EMFILE.
 */
export function effectiveMaxConnections(limits: Pick<ServerLimits, 'maxConnections'>, openFiles = readOpenFilesLimit()): number {
  if (limits.maxConnections > 0) return limits.maxConnections;
  if (openFiles === undefined || !Number.isFinite(openFiles)) return FALLBACK_MAX_CONNECTIONS;
  return Math.max(1, openFiles - SERVER_DESCRIPTOR_RESERVE);
}
