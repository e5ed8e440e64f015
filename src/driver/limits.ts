import { ResourceLimitError } from '../errors.js';
import { readEphemeralPortRange, readOpenFilesLimits } from '../metrics/proc-stats.js';
import { defaultConnectionsPerAddress, planSourceAddresses } from './source-addresses.js';

/** Descriptors a process needs besides its client sockets: stdio, IPC, listeners, libuv internals. */
export const DESCRIPTOR_RESERVE = 64;

export interface MachineLimits {
  /** Soft RLIMIT_NOFILE of this process; children inherit it. */
  openFiles: number | undefined;
  /** Hard RLIMIT_NOFILE: the most an unprivileged user can raise the soft limit to. */
  openFilesHard?: number;
  /** Ephemeral port range [low, high]. */
  portRange: [number, number] | undefined;
}

export function readMachineLimits(): MachineLimits {
  const openFiles = readOpenFilesLimits();
  return { openFiles: openFiles?.soft, openFilesHard: openFiles?.hard, portRange: readEphemeralPortRange() };
}

/** How the load generator's connections fit the machine's limits. */
export interface CapacityPlan {
  /** Connections allowed per loopback source address. */
  connectionsPerAddress: number;
  /** The source addresses to spread over; undefined when one suffices. */
  sourceAddresses: string[] | undefined;
}

/**
 * Checks that the descriptor limit holds the client count, before any
 * socket opens, and plans the source addresses. The generator and each
 * server hold one descriptor per connection in their own process. Every
 * connection from one source address to the server's port takes one
 * ephemeral port, so beyond `perAddress` connections the clients spread over
 * 127.0.0.x instead of failing.
 */
export function checkCapacity(clients: number, limits: MachineLimits = readMachineLimits(), perAddress?: number): CapacityPlan {
  checkDescriptors(clients, limits);
  const connectionsPerAddress = perAddress ?? defaultConnectionsPerAddress(limits.portRange);
  return { connectionsPerAddress, sourceAddresses: planSourceAddresses(clients, connectionsPerAddress) };
}

function checkDescriptors(clients: number, limits: MachineLimits): void {
  const neededFiles = clients + DESCRIPTOR_RESERVE;
  if (limits.openFiles === undefined || neededFiles <= limits.openFiles) return;

  const fewer = `use --clients ${Math.max(1, limits.openFiles - DESCRIPTOR_RESERVE)} or fewer`;
  const hard = limits.openFilesHard;
  if (hard !== undefined && neededFiles > hard) {
    throw new ResourceLimitError(
      'ERR_FD_LIMIT',
      `--clients ${clients} needs ${neededFiles} file descriptors per process, but the limit (ulimit -n) is ${limits.openFiles} and the hard limit (ulimit -Hn) is ${hard}: ` +
        `only root can raise the hard limit (nofile in /etc/security/limits.conf, or LimitNOFILE= for a systemd unit), so ${fewer}`,
    );
  }
  throw new ResourceLimitError(
    'ERR_FD_LIMIT',
    `--clients ${clients} needs ${neededFiles} file descriptors per process, but the limit (ulimit -n) is ${limits.openFiles}: ` +
      `raise it with "ulimit -n ${neededFiles}" (up to the hard limit, "ulimit -Hn") or ${fewer}`,
  );
}
