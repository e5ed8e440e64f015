import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import type { Report } from '../src/report/types.js';
import { waitFor } from './helpers/loopback.js';
import { pidsWithEnv } from './helpers/processes.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-shutdown-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const TAG = 'RTBENCH_TEST_TAG';

const MEASURE_ARGS = ['--clients', '100', '--transports', 'sse', '--warmup', '0.5', '--duration', '30', '--rate', '5'];

/** 300 clients at 20 per second: the ramp-up lasts 15 s. */
const RAMP_ARGS = ['--clients', '300', '--ramp-rate', '20', '--transports', 'websocket', '--no-floor', '--duration', '5'];

/** Starts the real rtbench executable with a tag in its environment that its children inherit. */
function startRtbench(tag: string, out: string, args: string[] = MEASURE_ARGS): ChildProcess {
  return spawn(join(PACKAGE_ROOT, 'bin', 'rtbench'), ['run', ...args, '--out', out], {
    env: { ...process.env, [TAG]: tag },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Waits until the run has both children (server and generator) and they have time to measure. */
async function waitForChildren(tag: string): Promise<boolean> {
  return waitFor(() => pidsWithEnv(TAG, tag).length >= 3, 15_000);
}

describe('rtbench shutdown', () => {
  it('stops its children and writes an interrupted report on SIGINT', async () => {
    const tag = `sigint-${process.pid}`;
    const out = join(workDir, 'sigint.json');
    const rtbench = startRtbench(tag, out);
    const exit = exited(rtbench);

    expect(await waitForChildren(tag)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    rtbench.kill('SIGINT');

    expect(await exit).toBe(130);
    expect(pidsWithEnv(TAG, tag)).toEqual([]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.status).toBe('interrupted');
    expect(report.results[0].status).toBe('interrupted');
    expect(report.results[0].clients.connected).toBe(100);
    expect(report.results[0].messages.delivered).toBeGreaterThan(0);
    expect(report.results[0].messages.lost).toBe(0);
  });

  it('stops during ramp-up on SIGINT and reports how far it got', async () => {
    const tag = `ramp-${process.pid}`;
    const out = join(workDir, 'ramp.json');
    const rtbench = startRtbench(tag, out, RAMP_ARGS);
    const exit = exited(rtbench);

    expect(await waitForChildren(tag)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    rtbench.kill('SIGINT');

    expect(await exit).toBe(130);
    expect(pidsWithEnv(TAG, tag)).toEqual([]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.status).toBe('interrupted');
    expect(report.results[0].status).toBe('interrupted');
    expect(report.results[0].phase).toBe('connect');
    expect(report.results[0].clients.connected).toBeGreaterThan(0);
    expect(report.results[0].clients.connected).toBeLessThan(300);
  });

  it('stops its children and writes an interrupted report on SIGTERM', async () => {
    const tag = `sigterm-${process.pid}`;
    const out = join(workDir, 'sigterm.json');
    const rtbench = startRtbench(tag, out);
    const exit = exited(rtbench);

    expect(await waitForChildren(tag)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    rtbench.kill('SIGTERM');

    expect(await exit).toBe(130);
    expect(pidsWithEnv(TAG, tag)).toEqual([]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.status).toBe('interrupted');
    expect(report.results[0].messages.delivered).toBeGreaterThan(0);
  });

  it('leaves no child process behind when killed with SIGKILL', async () => {
    const tag = `sigkill-${process.pid}`;
    const rtbench = startRtbench(tag, join(workDir, 'sigkill.json'));
    const exit = exited(rtbench);

    expect(await waitForChildren(tag)).toBe(true);
    rtbench.kill('SIGKILL');
    await exit;

    expect(await waitFor(() => pidsWithEnv(TAG, tag).length === 0, 5000)).toBe(true);
    expect(existsSync(join(workDir, 'sigkill.json.tmp'))).toBe(false);
  });
});
