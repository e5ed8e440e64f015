import { ResourceLimitError } from '../errors.js';
import { readEphemeralPortRange } from '../metrics/proc-stats.js';

/**
 * Linux routes all of 127.0.0.0/8 to the loopback interface, so a client
 * may bind any of these as its source address without configuration.
 * 127.0.0.0 and 127.255.255.255 are left out; the planner uses the first
 * 254 host addresses of 127.0.0.0/24.
 */
export const MAX_SOURCE_ADDRESSES = 254;

/**
 * Ephemeral ports per source address that the planner leaves to other
 * programs on the host. Every connection from one source address to the
 * one server port needs its own ephemeral port.
 */
const PORT_RESERVE = 1000;

/** The loopback source address number `index` (0-based): 127.0.0.1, 127.0.0.2, ... */
export function sourceAddress(index: number): string {
  return `127.0.0.${index + 1}`;
}

/**
 * Connections per source address when none is set: the ephemeral port
 * range minus a reserve, about 27,000 with Linux's default range
 * 32768-60999. Without a readable range (not Linux) it assumes that default.
 */
export function defaultConnectionsPerAddress(portRange: [number, number] | undefined): number {
  const [low, high] = portRange ?? [32768, 60999];
  return Math.max(1, high - low + 1 - PORT_RESERVE);
}

/**
 * The source addresses the load generator spreads `clients` over, round
 * robin, so that no address needs more than `perAddress` ephemeral ports.
 * Returns undefined when one address suffices, so the kernel picks the
 * source as usual.
 */
export function planSourceAddresses(clients: number, perAddress: number): string[] | undefined {
  const needed = Math.ceil(clients / perAddress);
  if (needed <= 1) return undefined;
  if (needed > MAX_SOURCE_ADDRESSES) {
    const maxClients = perAddress * MAX_SOURCE_ADDRESSES;
    throw new ResourceLimitError(
      'ERR_PORT_RANGE',
      `--clients ${clients} needs ${needed} loopback source addresses at ${perAddress} connections each, but rtbench uses at most ${MAX_SOURCE_ADDRESSES} (127.0.0.1-127.0.0.${MAX_SOURCE_ADDRESSES}): ` +
        `widen the ephemeral port range with "sysctl -w net.ipv4.ip_local_port_range='1024 65535'", raise --connections-per-address, or use --clients ${maxClients} or fewer`,
    );
  }
  return Array.from({ length: needed }, (_, index) => sourceAddress(index));
}

/** The source addresses for `clients` connections under the run's per-address setting. */
export function sourceAddressesFor(settings: { connectionsPerSourceAddress?: number }, clients: number): string[] | undefined {
  const perAddress = settings.connectionsPerSourceAddress ?? defaultConnectionsPerAddress(readEphemeralPortRange());
  return planSourceAddresses(clients, perAddress);
}
