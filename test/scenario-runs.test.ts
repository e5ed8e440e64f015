import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { loadScenario, SCENARIOS_DIR } from '../src/scenarios/load.js';
import type { Report } from '../src/report/types.js';
import { fakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-scenario-runs-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const WINDOW_SEC = 2;

/**
 * Warm-up before the 2 s window: short, except for `burst`, whose window
 * must hold a burst (due halfway through each period).
 */
function warmupFor(name: string): number {
  const workload = loadScenario(name, workDir).settings.workload;
  return workload?.kind === 'burst' ? workload.burstEverySec / 2 - 0.5 : 0.5;
}

describe.each(['dashboard', 'notifications', 'chat', 'collaboration', 'burst'])('%s scenario', (name) => {
  it('delivers every message on every transport', async () => {
    const io = fakeIo(workDir);
    const out = join(workDir, `${name}.json`);

    const code = await main(
      ['run', name, '--clients', '100', '--duration', String(WINDOW_SEC), '--warmup', String(warmupFor(name)), '--drain', '1', '--no-floor', '--quiet', '--out', out],
      io,
    );

    expect(io.err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.scenario?.name).toBe(name);
    expect(report.scenario?.content).toBe(readFileSync(join(SCENARIOS_DIR, `${name}.yaml`), 'utf8'));
    expect(report.settings.workload.kind).toBe(name);
    expect(report.results.map((result) => result.transport)).toEqual(['long-polling', 'sse', 'websocket']);
    for (const result of report.results) {
      expect(result.status).toBe('completed');
      expect(result.clients.connected).toBe(100);
      expect(result.messages.expected).toBeGreaterThan(0);
      expect(result.messages.delivered).toBe(result.messages.expected);
      expect(result.messages.lost).toBe(0);
      expect(result.messages.duplicated).toBe(0);
      expect(result.latencyMs.count).toBe(result.messages.delivered);
    }
  });
});
