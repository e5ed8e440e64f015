import type { Transport } from '../types.js';
import { WebSocketClient } from './client.js';
import { WebSocketTransportServer } from './server.js';

export const websocket: Transport = {
  name: 'websocket',
  aliases: ['ws'],
  summary: 'WebSocket (ws): one full-duplex socket per client, ping/pong heartbeat',
  clientImplementations: ['ws'],
  attachServer: (context) => new WebSocketTransportServer(context),
  createClient: (options) => new WebSocketClient(options),
};
