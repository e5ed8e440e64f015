import { describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import type { TransportName } from '../src/transports/types.js';
import { runDelivery, waitFor, type DeliveryRun } from './helpers/loopback.js';

const CLIENTS = 200;
const RATE = 20;
const COUNT = 80;

/** Publishes 4 s of messages to 200 clients and drops half of their connections at once after 0.5 s. */
async function dropHalf(transport: TransportName, wsResume = false): Promise<DeliveryRun & { dropped: number; subscribersAfter: number }> {
  let dropped = 0;
  let subscribersAfter = 0;
  const run = await runDelivery(transport, {
    clients: CLIENTS,
    rate: RATE,
    count: COUNT,
    generator: { wsResume },
    // Without resume the lost messages never come, so waiting for all of them would only run into the timeout.
    settleMs: transport === 'websocket' && !wsResume ? 1500 : 5000,
    during: async (server, generator) => {
      await waitFor(() => generator.delivery.delivered >= CLIENTS * 10);
      dropped = server.dropConnections(0.5);
      await waitFor(() => generator.reconnects.stats().disconnects > 0 && generator.reconnects.stats().stillDown === 0, 10_000);
      subscribersAfter = server.stats().subscribers;
    },
  });
  return { ...run, dropped, subscribersAfter };
}

describe.each(TRANSPORT_NAMES)('%s drop of half the connections', (transport) => {
  it('brings every dropped client back', async () => {
    const { connected, faults, dropped, subscribersAfter } = await dropHalf(transport);

    expect(connected).toBe(CLIENTS);
    expect(dropped).toBe(CLIENTS / 2);
    expect(faults.reconnect.disconnects).toBeGreaterThan(0);
    expect(faults.reconnect.disconnects).toBeLessThanOrEqual(dropped);
    expect(faults.reconnect.reconnects).toBe(faults.reconnect.disconnects);
    expect(faults.reconnect.stillDown).toBe(0);
    expect(faults.reconnect.reconnectTimeMs.count).toBe(faults.reconnect.reconnects);
    expect(faults.reconnect.outages.every((outage) => outage.endNs !== null)).toBe(true);
    if (transport !== 'long-polling') expect(subscribersAfter).toBe(CLIENTS);
  });
});

describe('drop of half the connections without loss', () => {
  it.each(['sse', 'long-polling'] as const)('%s replays from the history', async (transport) => {
    const { delivery, faults } = await dropHalf(transport);

    expect(delivery.delivered).toBe(CLIENTS * COUNT);
    expect(delivery.duplicated).toBe(0);
    expect(faults.lostAcrossFaults).toBe(0);
  });
});

describe('websocket drop of half the connections', () => {
  it('loses what was published while a client reconnected, without resume', async () => {
    const { delivery, faults } = await dropHalf('websocket');
    const lost = CLIENTS * COUNT - delivery.delivered;

    expect(lost).toBeGreaterThan(0);
    expect(faults.lostAcrossFaults).toBe(lost);
    expect(delivery.duplicated).toBe(0);
  });

  it('loses nothing with --ws-resume', async () => {
    const { delivery, faults } = await dropHalf('websocket', true);

    expect(faults.reconnect.reconnects).toBe(CLIENTS / 2);
    expect(delivery.delivered).toBe(CLIENTS * COUNT);
    expect(delivery.duplicated).toBe(0);
    expect(faults.lostAcrossFaults).toBe(0);
  });
});
