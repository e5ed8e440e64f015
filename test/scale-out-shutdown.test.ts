import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import type { Report } from '../src/report/types.js';
import { rtbenchDaemonPids } from './helpers/daemon-pids.js';
import { HAS_NGINX, HAS_REDIS } from './helpers/daemons.js';
import { waitFor } from './helpers/loopback.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-scale-out-shutdown-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Temporary folders of rtbench's redis-server and nginx. */
function daemonFolders(): string[] {
  return readdirSync(tmpdir()).filter((name) => /^rtbench-(redis|nginx)-/.test(name));
}

/** Starts rtbench with two instances over a private Redis behind nginx, for one SSE run of 30 s. */
function startRtbench(out: string): ChildProcess {
  const args = ['run', '--clients', '50', '--transports', 'sse', '--instances', '2', '--proxy', 'nginx', '--no-single-instance-run', '--no-floor'];
  return spawn(join(PACKAGE_ROOT, 'bin', 'rtbench'), [...args, '--warmup', '0.5', '--duration', '30', '--rate', '5', '--out', out], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Waits until redis-server, the nginx master and at least one worker of this run are up. */
async function waitForDaemons(before: number[]): Promise<boolean> {
  return waitFor(() => rtbenchDaemonPids().filter((pid) => !before.includes(pid)).length >= 3, 20_000);
}

describe.skipIf(!HAS_REDIS || !HAS_NGINX)('rtbench shutdown with redis and nginx', () => {
  it('stops redis-server and nginx on SIGINT', async () => {
    const before = rtbenchDaemonPids();
    const foldersBefore = daemonFolders();
    const out = join(workDir, 'sigint.json');
    const rtbench = startRtbench(out);
    const exit = exited(rtbench);

    expect(await waitForDaemons(before)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    rtbench.kill('SIGINT');

    expect(await exit).toBe(130);
    expect(rtbenchDaemonPids().filter((pid) => !before.includes(pid))).toEqual([]);
    expect(daemonFolders().filter((name) => !foldersBefore.includes(name))).toEqual([]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.status).toBe('interrupted');
    expect(report.results[0].status).toBe('interrupted');
    expect(report.results[0].messages.delivered).toBeGreaterThan(0);
    expect(report.results[0].messages.lost).toBe(0);
  });

  it('leaves no daemon behind when killed with SIGKILL', async () => {
    const before = rtbenchDaemonPids();
    const foldersBefore = daemonFolders();
    const rtbench = startRtbench(join(workDir, 'sigkill.json'));
    const exit = exited(rtbench);

    expect(await waitForDaemons(before)).toBe(true);
    rtbench.kill('SIGKILL');
    await exit;

    expect(await waitFor(() => rtbenchDaemonPids().filter((pid) => !before.includes(pid)).length === 0, 10_000)).toBe(true);
    expect(await waitFor(() => daemonFolders().filter((name) => !foldersBefore.includes(name)).length === 0, 5000)).toBe(true);
  });
});
