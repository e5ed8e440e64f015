import type { Transport } from '../types.js';
import { LongPollClient } from './client.js';
import { LongPollingTransportServer } from './server.js';

export const longPolling: Transport = {
  name: 'long-polling',
  aliases: ['poll', 'longpoll', 'lp'],
  summary: 'HTTP long polling: each client holds one GET until a message arrives, then polls again',
  clientImplementations: ['undici'],
  attachServer: (context) => new LongPollingTransportServer(context),
  createClient: (options) => new LongPollClient(options),
};
