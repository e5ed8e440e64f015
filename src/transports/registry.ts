import { UnknownTransportError } from '../errors.js';
import { longPolling } from './long-polling/index.js';
import { sse } from './sse/index.js';
import { websocket } from './websocket/index.js';
import type { Transport, TransportName } from './types.js';

/** Every transport, in the order runs and tables use. */
export const TRANSPORTS: readonly Transport[] = [longPolling, sse, websocket];

export const TRANSPORT_NAMES: readonly TransportName[] = TRANSPORTS.map((transport) => transport.name);

/** Finds a transport by name or alias, case-insensitively. */
export function findTransport(name: string): Transport {
  const wanted = name.trim().toLowerCase();
  const found = TRANSPORTS.find((transport) => transport.name === wanted || transport.aliases.includes(wanted));
  if (!found) throw new UnknownTransportError(name, TRANSPORT_NAMES);
  return found;
}
