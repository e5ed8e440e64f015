import type { Transport } from '../types.js';
import { EventSourceClient } from './eventsource-client.js';
import { SseClient } from './client.js';
import { SseTransportServer } from './server.js';

export const sse: Transport = {
  name: 'sse',
  aliases: ['server-sent-events', 'eventsource'],
  summary: 'Server-Sent Events: one long-lived text/event-stream response per client',
  clientImplementations: ['undici', 'eventsource'],
  attachServer: (context) => new SseTransportServer(context),
  createClient: (options) =>
    options.implementation === 'eventsource' ? new EventSourceClient(options) : new SseClient(options),
};
