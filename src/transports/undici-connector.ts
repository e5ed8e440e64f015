import type { buildConnector } from 'undici';
import type { CountingConnector } from './counting-connector.js';

/**
 * An undici `connect` option that opens sockets through a CountingConnector,
 * so the client's wire bytes are known and its source address can be chosen.
 */
export function undiciConnect(connector: CountingConnector): buildConnector.connector {
  return (options, callback) => {
    const socket = connector.open(options.hostname, Number(options.port));
    let settled = false;
    socket.once('connect', () => {
      if (settled) return;
      settled = true;
      callback(null, socket);
    });
    socket.once('error', (error) => {
      if (settled) return;
      settled = true;
      callback(error, null);
    });
    return socket;
  };
}
