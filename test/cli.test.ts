import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { readOpenFilesLimit } from '../src/metrics/proc-stats.js';
import type { Report } from '../src/report/types.js';
import { fakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-cli-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('rtbench --help', () => {
  it('lists every run option with its unit', async () => {
    const io = fakeIo(workDir);

    const code = await main(['run', '--help'], io);

    expect(code).toBe(0);
    for (const text of ['--clients <count>', 'messages-per-second', 'in seconds', 'in bytes', 'connections-per-second', 'in ms', 'Exit codes:']) {
      expect(io.out).toContain(text);
    }
  });

  it('documents the serve command', async () => {
    const io = fakeIo(workDir);

    expect(await main(['serve', '--help'], io)).toBe(0);
    expect(io.out).toContain('--port <port>');
  });
});

describe('rtbench run option errors', () => {
  it('rejects a client count that is not an integer', async () => {
    const io = fakeIo(workDir);

    const code = await main(['run', '--clients', 'many'], io);

    expect(code).toBe(2);
    expect(io.err).toContain("option '-c, --clients <count>' argument 'many' is invalid. expected an integer from 1 to 1000000");
  });

  it('rejects an unknown transport and lists the known ones', async () => {
    const io = fakeIo(workDir);

    const code = await main(['run', '--transports', 'sse,carrier-pigeon'], io);

    expect(code).toBe(2);
    expect(io.err).toContain('unknown transport "carrier-pigeon": use one of long-polling, sse, websocket');
  });

  it('rejects more clients than the descriptor limit before opening a socket', async () => {
    const limit = readOpenFilesLimit();
    if (limit === undefined || limit > 999_000) return;
    const io = fakeIo(workDir);

    const code = await main(['run', '--clients', String(limit), '--out', join(workDir, 'never.json')], io);

    expect(code).toBe(6);
    expect(io.err).toMatch(/^rtbench: --clients \d+ needs \d+ file descriptors per process, but the limit \(ulimit -n\) is \d+/);
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('rtbench run end to end', () => {
  it('writes a report with every documented field', async () => {
    const io = fakeIo(workDir);
    const out = join(workDir, 'e2e.json');

    const code = await main(['run', '--clients', '200', '--duration', '2', '--warmup', '1', '--drain', '1', '--rate', '5', '--json', '--out', out], io);

    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(JSON.parse(io.out)).toEqual(report);
    expect(report.schemaVersion).toBe(1);
    expect(report.status).toBe('completed');
    expect(report.tool.name).toBe('rtbench');
    expect(report.environment.cpuCount).toBeGreaterThan(0);
    expect(report.settings.clients).toBe(200);
    expect(report.results.map((result) => result.transport)).toEqual(['long-polling', 'sse', 'websocket']);

    for (const result of report.results) {
      expect(result.clients).toMatchObject({ target: 200, connected: 200, failed: 0 });
      expect(result.messages.expected).toBe(200 * 10);
      expect(result.messages).toMatchObject({ delivered: 2000, lost: 0, duplicated: 0, outOfOrder: 0 });
      for (const key of ['p50', 'p90', 'p99', 'p999', 'max'] as const) expect(result.latencyMs[key]).toBeGreaterThan(0);
      expect(result.throughput.deliveredPerSec).toBe(1000);
      expect(result.server.rssIdleBytes).toBeGreaterThan(0);
      expect(result.server.rssPeakBytes).toBeGreaterThan(0);
      expect(result.server.memoryPerConnectionBytes).not.toBeNull();
      expect(result.server.cpuPercent).not.toBeNull();
      expect(result.generator.rssPerClientBytes).not.toBeNull();
      expect(result.generator.cpuPercent).not.toBeNull();
      expect(result.generator.eventLoopDelayP99Ms).not.toBeNull();
      expect(typeof result.generator.saturated).toBe('boolean');
      expect(result.histogram.length).toBeGreaterThan(0);
      expect(result.floor?.samples).toBeGreaterThan(0);
      expect(result.sendLagMs.count).toBe(10);
      expect(result.wire.clientBytesPerMessage).toBeGreaterThan(256);
      expect(result.wire.serverBytesPerMessage).toBeGreaterThan(256);
    }
  });
});
