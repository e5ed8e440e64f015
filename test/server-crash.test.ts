import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManagedChild } from '../src/child/child-process.js';
import { runBenchmark } from '../src/driver/run.js';
import type { ProgressEvent } from '../src/driver/transport-run.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../src/scenarios/settings.js';
import { childPidsRunning } from './helpers/children.js';
import { waitFor } from './helpers/loopback.js';

const settings: RunSettings = {
  ...DEFAULT_SETTINGS,
  transports: ['websocket', 'sse'],
  clients: 50,
  rate: 10,
  warmupSec: 0.5,
  durationSec: 3,
  drainSec: 0.5,
  floor: false,
};

describe('ManagedChild after an uncaught exception', () => {
  it('names the exception in its exit description', async () => {
    const { child } = await ManagedChild.start(join(PACKAGE_ROOT, 'test', 'fixtures', 'crashing-child.mjs'), [], { label: 'fixture' });

    await child.request('crash');
    expect(await waitFor(() => !child.isRunning(), 5000)).toBe(true);

    expect(child.exitDescription).toBe('exited with code 1 after an uncaught TypeError: the fixture crashed on request');
  });
});

describe('runBenchmark with a server that dies mid-run', () => {
  it('reports the exit and runs the next transport', async () => {
    let killed = false;
    const killServerWhileMeasuring = (event: ProgressEvent): void => {
      if (killed || event.transport !== 'websocket' || event.phase !== 'measure') return;
      killed = true;
      for (const pid of childPidsRunning('server-process.js')) process.kill(pid, 'SIGKILL');
    };

    const report = await runBenchmark(settings, { onProgress: killServerWhileMeasuring });

    const [websocket, sse] = report.results;
    expect(killed).toBe(true);
    expect(websocket.status).toBe('failed');
    expect(websocket.server.exit).toBe('killed by SIGKILL');
    expect(websocket.error?.code).toBe('ERR_SERVER_EXITED');
    expect(websocket.error?.message).toBe('websocket server killed by SIGKILL during the run');
    expect(sse.status).toBe('completed');
    expect(sse.messages.lost).toBe(0);
    expect(report.status).toBe('failed');
    expect(childPidsRunning('server-process.js')).toEqual([]);
    expect(childPidsRunning('generator-process.js')).toEqual([]);
  });
});
