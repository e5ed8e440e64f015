import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runTransport, type ProgressEvent } from '../src/driver/transport-run.js';
import { renderWarnings } from '../src/report/table.js';
import type { Report } from '../src/report/types.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../src/scenarios/settings.js';
import { childPidsRunning } from './helpers/children.js';

const settings: RunSettings = {
  ...DEFAULT_SETTINGS,
  transports: ['websocket'],
  clients: 300,
  rate: 10,
  warmupSec: 0.5,
  durationSec: 1,
  drainSec: 0.5,
  connectTimeoutSec: 5,
  floor: true,
};

/** Descriptors left to a child once its limit is lowered: enough for stdio, IPC and Node, not for 300 sockets. */
const LOW_DESCRIPTOR_LIMIT = 150;

/**
 * Lowers the descriptor limit of the child running `script` once both
 * children are up (the floor phase comes right after they start), with
 * util-linux prlimit, as a user whose `ulimit -n` is too low would have it.
 */
function lowerLimitOf(script: string): (event: ProgressEvent) => void {
  let done = false;
  return (event) => {
    if (done || event.phase !== 'floor') return;
    done = true;
    for (const pid of childPidsRunning(script)) {
      execFileSync('prlimit', ['--pid', String(pid), `--nofile=${LOW_DESCRIPTOR_LIMIT}:${LOW_DESCRIPTOR_LIMIT}`]);
    }
  };
}

function warningsOf(result: Awaited<ReturnType<typeof runTransport>>): string[] {
  return renderWarnings({ results: [result] } as Report, { color: false });
}

describe('load generator at its descriptor limit', () => {
  it('counts EMFILE as a generator error and keeps the server out of it', async () => {
    const result = await runTransport('websocket', settings, { onProgress: lowerLimitOf('generator-process.js') });

    expect(result.status).toBe('completed');
    expect(result.clients.connected).toBeGreaterThan(0);
    expect(result.clients.failed).toBeGreaterThan(0);
    expect(result.clients.errors.EMFILE).toBeGreaterThan(0);
    expect(result.server.exit).toBeUndefined();
    expect(result.server.acceptErrors).toBe(0);
    expect(warningsOf(result).some((line) => line.includes('failed with EMFILE: the load generator reached its file-descriptor limit (ulimit -n, per process)'))).toBe(true);
  });
});

describe('reference server at its descriptor limit', () => {
  it('keeps serving and names the limit it reached', async () => {
    const result = await runTransport('websocket', settings, { onProgress: lowerLimitOf('server-process.js') });

    expect(result.server.exit).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.clients.connected).toBeGreaterThan(0);
    expect(result.clients.failed).toBeGreaterThan(0);
    expect(result.server.descriptors?.limit).toBe(LOW_DESCRIPTOR_LIMIT);
    // libuv accepts and closes connections beyond the limit itself, so the clients see resets.
    expect(result.clients.errors.ECONNRESET).toBeGreaterThan(0);
    expect(warningsOf(result).some((line) => line.includes(`of its ${LOW_DESCRIPTOR_LIMIT} file descriptors (ulimit -n)`))).toBe(true);
  });
});
