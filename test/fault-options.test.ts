import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { parseDrop } from '../src/faults/settings.js';
import { sparkline } from '../src/faults/table-rows.js';
import type { Report } from '../src/report/types.js';
import { fakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-faults-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const SHORT_RUN = ['run', '--transports', 'ws', '--clients', '40', '--rate', '10', '--warmup', '0.5', '--duration', '2', '--drain', '0.5', '--no-floor'];

describe('parseDrop', () => {
  it('reads a fraction and a time', () => {
    expect(parseDrop('0.5@10')).toEqual({ fraction: 0.5, atSec: 10 });
    expect(parseDrop(' 1 @ 2.5 ')).toEqual({ fraction: 1, atSec: 2.5 });
  });

  it.each(['0.5', '0.5@', '@10', 'half@10', '0@10', '1.5@10', '-0.5@10'])('rejects %s', (text) => {
    expect(typeof parseDrop(text)).toBe('string');
  });
});

describe('sparkline', () => {
  it('scales counts to the peak', () => {
    expect(sparkline([0, 4, 8])).toBe('▁▅█');
  });

  it('merges long series by their maximum', () => {
    expect(sparkline([1, 8, 0, 0], 2)).toBe('█▁');
  });
});

describe('rtbench run fault options', () => {
  it('rejects a drop fraction above 1', async () => {
    const io = fakeIo(workDir);

    const code = await main(['run', '--drop', '1.5@10'], io);

    expect(code).toBe(2);
    expect(io.err).toContain("option '--drop <fraction@seconds>' argument '1.5@10' is invalid. expected a fraction above 0 and at most 1 before the @, got 1.5");
  });

  it('rejects a fault after publishing ends', async () => {
    const io = fakeIo(workDir);

    const code = await main(['run', '--restart-at', '40', '--warmup', '5', '--duration', '20'], io);

    expect(code).toBe(2);
    expect(io.err).toBe('rtbench: --restart-at 40 fires after publishing ends at 25 s (--warmup + --duration): choose a time below 25\n');
  });

  it('lists the fault options with their units', async () => {
    const io = fakeIo(workDir);

    await main(['run', '--help'], io);

    for (const text of ['--drop <fraction@seconds>', '--restart-at <seconds>', '--ws-resume', '--slow-clients <fraction>', '--send-buffer-limit <bytes>', '--on-backpressure <policy>', '--connections-per-address <count>']) {
      expect(io.out).toContain(text);
    }
  });
});

describe('rtbench run tables', () => {
  it('show the fault rows only when a fault was injected', async () => {
    const plain = fakeIo(workDir);
    const faulty = fakeIo(workDir);
    const out = join(workDir, 'drop.json');

    expect(await main([...SHORT_RUN, '--out', join(workDir, 'plain.json')], plain)).toBe(0);
    expect(await main([...SHORT_RUN, '--drop', '0.5@1', '--ws-resume', '--out', out], faulty)).toBe(0);

    expect(plain.out).not.toContain('Connection faults');
    expect(plain.out).not.toContain('Server under faults');
    expect(faulty.out).toContain('Connection faults (WebSocket clients with resume)');
    expect(faulty.out).toMatch(/connections dropped\s+│ 20\s+│/);
    expect(faulty.out).toMatch(/dropped at \(s\)\s+│ 1\.\d\d\s+│/);
    expect(faulty.out).toContain('messages lost across the fault');
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.settings.faults?.drop).toEqual({ fraction: 0.5, atSec: 1 });
    expect(report.results[0].faults?.events[0]).toMatchObject({ kind: 'drop', connectionsClosed: 20 });
    expect(report.results[0].faults?.messagesLost).toBe(0);
    expect(report.results[0].messages.lost).toBe(0);
  });
});
