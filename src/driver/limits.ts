import { ResourceLimitError } from '../errors.js';
import { readEphemeralPortRange, readOpenFilesLimit } from '../metrics/proc-stats.js';

/** Descriptors a process needs besides its client sockets: stdio, IPC, listeners, libuv internals. */
export const DESCRIPTOR_RESERVE = 64;

export interface MachineLimits {
  /** Soft RLIMIT_NOFILE of this process; children inherit it. */
  openFiles: number | undefined;
  /** Ephemeral port range [low, high]. */
  portRange: [number, number] | undefined;
}

export function readMachineLimits(): MachineLimits {
  return { openFiles: readOpenFilesLimit(), portRange: readEphemeralPortRange() };
}

/**
 * Rejects a client count that the descriptor limit or the ephemeral port
 * range cannot hold, before any socket opens. The generator and each server
 * hold one descriptor per connection in their own process; every
 * connection from one source address to the server's port takes one
 * ephemeral port.
 */
export function checkCapacity(clients: number, limits: MachineLimits = readMachineLimits()): void {
  const neededFiles = clients + DESCRIPTOR_RESERVE;
  if (limits.openFiles !== undefined && neededFiles > limits.openFiles) {
    throw new ResourceLimitError(
      'ERR_FD_LIMIT',
      `--clients ${clients} needs ${neededFiles} file descriptors per process, but the limit (ulimit -n) is ${limits.openFiles}: ` +
        `raise it with "ulimit -n ${neededFiles}" (up to the hard limit, "ulimit -Hn") or use --clients ${Math.max(1, limits.openFiles - DESCRIPTOR_RESERVE)} or fewer`,
    );
  }

  if (limits.portRange) {
    const [low, high] = limits.portRange;
    const ports = high - low + 1;
    if (clients > ports) {
      throw new ResourceLimitError(
        'ERR_PORT_RANGE',
        `--clients ${clients} needs ${clients} ephemeral ports, but net.ipv4.ip_local_port_range (${low}-${high}) has ${ports}: ` +
          `widen it with "sysctl -w net.ipv4.ip_local_port_range='1024 65535'" or use --clients ${ports} or fewer`,
      );
    }
  }
}
