import { readFileSync } from 'node:fs';
import { ResourceLimitError } from '../errors.js';

/**
 * Descriptors of an nginx worker besides proxied connections: listening
 * socket, logs, channel to the master, epoll, eventfd.
 */
const WORKER_RESERVE = 64;

/**
 * How much more than an even share of the clients one worker may get.
 * With `reuseport` the kernel hashes each connection's addresses and ports
 * to a worker. For 10,000 connections over 2 workers the standard deviation
 * of a worker's share is 50 connections, so 10% covers far more than 3
 * standard deviations.
 */
const SKEW = 1.1;

/** Connections per worker nginx is configured for at the least, as in its stock nginx.conf. */
const MIN_WORKER_CONNECTIONS = 1024;

/** Workers rtbench starts at most, to spread descriptors when one worker's limit is too small. */
const MAX_WORKERS = 16;

export interface NginxWorkerPlan {
  workers: number;
  /** worker_connections: client plus upstream connections one worker may hold. */
  workerConnections: number;
  /** worker_rlimit_nofile. */
  workerOpenFiles: number;
  /** Idle upstream keep-alive connections cached per worker. */
  upstreamKeepalive: number;
}

/**
 * Sizes nginx's workers for `clients` proxied connections. Each proxied
 * connection uses two descriptors in a worker, the client's and the one
 * to the instance, so a worker needs about 2 × clients / workers. Starts
 * with one worker per core and adds workers while one worker's share does
 * not fit under the hard descriptor limit, which a worker cannot raise
 * without privileges.
 */
export function planNginxWorkers(clients: number, cores: number, hardOpenFiles: number | undefined): NginxWorkerPlan {
  const limit = hardOpenFiles ?? Number.POSITIVE_INFINITY;
  let workers = Math.max(1, cores);
  while (descriptorsPerWorker(clients, workers) > limit && workers < MAX_WORKERS) workers++;

  const needed = descriptorsPerWorker(clients, workers);
  if (needed > limit) {
    const fitting = Math.floor(((limit - WORKER_RESERVE) / 2 / SKEW) * workers);
    throw new ResourceLimitError(
      'ERR_FD_LIMIT',
      `nginx in front of ${clients} clients needs 2 descriptors per proxied connection, about ${needed} per worker with ${workers} workers, ` +
        `above the hard limit of ${limit} (ulimit -Hn): use --clients ${Math.max(1, fitting)} or fewer, or raise the hard limit`,
    );
  }

  const perWorkerClients = Math.ceil((clients / workers) * SKEW);
  const connections = Math.max(MIN_WORKER_CONNECTIONS, 2 * perWorkerClients + WORKER_RESERVE);
  const workerOpenFiles = Math.min(limit, connections + WORKER_RESERVE);
  return {
    workers,
    // nginx warns when worker_connections exceed the descriptor limit.
    workerConnections: Math.min(connections, workerOpenFiles - WORKER_RESERVE),
    workerOpenFiles,
    upstreamKeepalive: Math.max(32, perWorkerClients),
  };
}

function descriptorsPerWorker(clients: number, workers: number): number {
  return 2 * Math.ceil((clients / workers) * SKEW) + WORKER_RESERVE;
}

/** The hard limit on open descriptors of this process, from /proc/self/limits; undefined when unlimited or unknown. */
export function readHardOpenFilesLimit(): number | undefined {
  try {
    const match = /^Max open files\s+\S+\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!match || match[1] === 'unlimited') return undefined;
    return Number(match[1]);
  } catch {
    return undefined;
  }
}
