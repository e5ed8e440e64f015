import { describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import { runDelivery } from './helpers/loopback.js';

/**
 * Checks that latency is measured from the intended publish time: a server
 * that stalls or delays messages must show it in the figures.
 */
describe.each(TRANSPORT_NAMES)('%s latency accounting', (transport) => {
  it('shows a 300 ms server stall in every message due during it', async () => {
    const { delivery } = await runDelivery(transport, {
      clients: 5,
      rate: 100,
      count: 300,
      server: { stall: { atMs: 1000, forMs: 300 } },
    });
    const latency = delivery.latencyMs;

    expect(delivery.delivered).toBe(5 * 300);
    // About 30 of 300 messages per client fell due during the stall, so
    // the top 10% spread from about 300 ms down to near zero.
    expect(latency.p99).toBeGreaterThanOrEqual(250);
    expect(latency.max).toBeGreaterThanOrEqual(290);
    expect(latency.max).toBeLessThan(500);
    expect(latency.p50).toBeLessThan(50);
  });

  it('measures an injected 20 ms hold as a 20 ms p50', async () => {
    const { delivery } = await runDelivery(transport, {
      clients: 20,
      rate: 10,
      count: 20,
      server: { injectDelayMs: 20 },
    });

    expect(delivery.delivered).toBe(20 * 20);
    expect(delivery.latencyMs.p50).toBeGreaterThanOrEqual(18);
    expect(delivery.latencyMs.p50).toBeLessThanOrEqual(22);
  });
});
