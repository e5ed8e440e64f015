import { describe, expect, it } from 'vitest';
import { runDelivery, waitFor } from './helpers/loopback.js';

describe('SSE client', () => {
  it('resumes with Last-Event-ID after its socket is destroyed and sees no gap', async () => {
    let dropped = 0;
    const { connected, delivery } = await runDelivery('sse', {
      clients: 20,
      rate: 10,
      count: 30,
      during: async (server, generator) => {
        await waitFor(() => generator.delivery.delivered >= 20 * 5);
        dropped = server.dropConnections(1);
      },
    });

    expect(connected).toBe(20);
    expect(dropped).toBe(20);
    expect(delivery.delivered).toBe(20 * 30);
    expect(delivery.duplicated).toBe(0);
    expect(delivery.errors).not.toEqual({});
  });
});

describe('long-poll client', () => {
  it('catches up with no gap when its socket dies between polls', async () => {
    let dropped = 0;
    const { connected, delivery } = await runDelivery('long-polling', {
      clients: 20,
      rate: 10,
      count: 30,
      during: async (server, generator) => {
        await waitFor(() => generator.delivery.delivered >= 20 * 5);
        dropped = server.dropConnections(1);
      },
    });

    expect(connected).toBe(20);
    expect(dropped).toBe(20);
    expect(delivery.delivered).toBe(20 * 30);
    expect(delivery.duplicated).toBe(0);
  });
});

describe('WebSocket client', () => {
  it('counts messages lost while disconnected', async () => {
    const { connected, delivery } = await runDelivery('websocket', {
      clients: 10,
      rate: 20,
      count: 20,
      settleMs: 500,
      during: async (server, generator) => {
        await waitFor(() => generator.delivery.delivered >= 10 * 5);
        server.dropConnections(1);
      },
    });

    expect(connected).toBe(10);
    expect(delivery.delivered).toBeGreaterThanOrEqual(10 * 5);
    expect(delivery.delivered).toBeLessThan(10 * 20);
  });
});
