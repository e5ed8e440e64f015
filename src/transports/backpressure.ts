import type { ServerCounters, ServerSettings } from './types.js';

/** Action a broadcast takes for one subscriber. */
export type SendDecision = 'send' | 'drop' | 'close';

/**
 * Decides whether a broadcast message goes to a subscriber whose socket
 * already holds `bufferedBytes` in user space, and counts a drop or close.
 * Node buffers every write without limit, so without this check one client
 * that stops reading makes the server keep every message published since.
 */
export function decideSend(bufferedBytes: number, settings: ServerSettings, counters: ServerCounters): SendDecision {
  if (bufferedBytes <= settings.sendBufferLimitBytes) return 'send';
  if (settings.backpressurePolicy === 'drop') {
    counters.backpressureDrops++;
    return 'drop';
  }
  counters.backpressureCloses++;
  return 'close';
}

/** The reason sent to, or logged for, a subscriber closed for backpressure. */
export function backpressureReason(settings: ServerSettings): string {
  return `send buffer above ${settings.sendBufferLimitBytes} bytes`;
}
