import { describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../src/faults/settings.js';
import { runTransport } from '../src/driver/transport-run.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../src/scenarios/settings.js';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import { childPidsRunning } from './helpers/children.js';

const CLIENTS = 100;

const settings: RunSettings = {
  ...DEFAULT_SETTINGS,
  clients: CLIENTS,
  rate: 20,
  warmupSec: 0.5,
  // WebSocket clients back off with jitter: one whose first attempts fall into the downtime may wait up to 4 s more.
  durationSec: 7,
  drainSec: 0.5,
  floor: false,
  faults: { ...NO_FAULTS, restartAtSec: 1 },
};

describe.each(TRANSPORT_NAMES)('%s run with a server restart', (transport) => {
  it('brings every client back to the new server on the same port', async () => {
    const result = await runTransport(transport, settings);
    const faults = result.faults;

    expect(result.status).toBe('completed');
    expect(result.server.exit).toBeUndefined();
    expect(faults?.events).toHaveLength(1);
    expect(faults?.events[0].kind).toBe('restart');
    expect(faults?.events[0].downtimeMs).toBeGreaterThan(0);
    expect(faults?.events[0].allBackMs).not.toBeNull();
    expect(faults?.reconnects.disconnects).toBe(CLIENTS);
    expect(faults?.reconnects.reconnects).toBe(CLIENTS);
    expect(faults?.reconnects.stillDown).toBe(0);
    // The messages due while no server ran were never published: every client lost them, and only them.
    expect(result.messages.lost).toBeGreaterThan(0);
    expect(faults?.messagesLost).toBe(result.messages.lost);
    // Long-poll clients count as subscribers only while a poll is held.
    if (transport !== 'long-polling') expect(result.server.subscribersAtEnd).toBe(CLIENTS);
    expect(childPidsRunning('server-process.js')).toEqual([]);
  });
});
