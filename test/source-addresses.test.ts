import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../src/driver/run.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../src/scenarios/settings.js';

const settings: RunSettings = {
  ...DEFAULT_SETTINGS,
  clients: 200,
  rate: 10,
  warmupSec: 0.5,
  durationSec: 1,
  drainSec: 0.5,
  floor: false,
  // A budget far below the real port range, so that spreading shows with 200 connections.
  connectionsPerSourceAddress: 50,
};

describe('runBenchmark with a low per-address budget', () => {
  it('spreads every transport over four loopback source addresses', async () => {
    const report = await runBenchmark(settings);

    for (const result of report.results) {
      expect(result.status).toBe('completed');
      expect(result.clients.connected).toBe(200);
      expect(result.clients.sourceAddresses).toBe(4);
      expect(result.messages.lost).toBe(0);
    }
  });
});
