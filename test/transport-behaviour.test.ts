import { describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import { runDelivery } from './helpers/loopback.js';

/**
 * The behaviour every transport must show against its reference server on
 * a loopback port: complete, ordered delivery, and loss that is counted.
 */
describe.each(TRANSPORT_NAMES)('%s transport', (transport) => {
  it('delivers every message in order to 50 clients', async () => {
    const { connected, delivery } = await runDelivery(transport, { clients: 50, rate: 20, count: 20 });

    expect(connected).toBe(50);
    expect(delivery.delivered).toBe(50 * 20);
    expect(delivery.duplicated).toBe(0);
    expect(delivery.outOfOrder).toBe(0);
    expect(delivery.latencyMs.count).toBe(50 * 20);
  });

  it('counts a message the server skipped as lost', async () => {
    const { connected, delivery } = await runDelivery(transport, {
      clients: 10,
      rate: 20,
      count: 10,
      server: { skipSeqs: [4] },
      settleMs: 1000,
    });

    expect(connected).toBe(10);
    expect(delivery.delivered).toBe(10 * 9);
    expect(delivery.duplicated).toBe(0);
  });

  it('never counts heartbeats as messages', async () => {
    // Heartbeats (SSE comments, WebSocket pings) and long-poll hold
    // timeouts (204) every 50 ms, while messages come every 250 ms.
    const { delivery } = await runDelivery(transport, {
      clients: 5,
      rate: 4,
      count: 4,
      server: { heartbeatMs: 50, holdMs: 50 },
    });

    expect(delivery.received).toBe(5 * 4);
    expect(delivery.delivered).toBe(5 * 4);
    expect(delivery.latencyMs.count).toBe(5 * 4);
  });
});

describe('sse with the eventsource client', () => {
  it('delivers every message in order to 20 clients', async () => {
    const { connected, delivery } = await runDelivery('sse', { clients: 20, rate: 20, count: 20, implementation: 'eventsource' });

    expect(connected).toBe(20);
    expect(delivery.delivered).toBe(20 * 20);
    expect(delivery.duplicated).toBe(0);
    expect(delivery.outOfOrder).toBe(0);
  });
});
