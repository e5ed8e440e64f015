import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Report } from '../src/report/types.js';
import { HAS_NGINX, HAS_REDIS, startTestRedis, type TestRedis } from './helpers/daemons.js';
import { fakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-scale-out-scenarios-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs a bundled scenario on 100 clients for a 2 s window and returns the report. */
async function runScenario(name: string, extra: string[]): Promise<{ code: number; err: string; report: Report }> {
  const io = fakeIo(workDir, { PATH: process.env.PATH ?? '' });
  const out = join(workDir, `${name}-${extra.join('-').replace(/[^a-z0-9-]/gi, '')}.json`);
  const args = ['run', name, '--clients', '100', '--duration', '2', '--warmup', '0.5', '--drain', '1', '--no-floor', '--no-single-instance-run', '--quiet', '--out', out];
  const code = await main([...args, ...extra], io);
  return { code, err: io.err, report: JSON.parse(readFileSync(out, 'utf8')) as Report };
}

function expectEveryMessageOnce(report: Report): void {
  for (const result of report.results) {
    expect(result.status, result.transport).toBe('completed');
    expect(result.clients.connected).toBe(100);
    expect(result.messages.expected).toBeGreaterThan(0);
    expect(result.messages.delivered, result.transport).toBe(result.messages.expected);
    expect(result.messages.lost).toBe(0);
    expect(result.messages.duplicated).toBe(0);
    expect(result.messages.outOfOrder).toBe(0);
    expect(result.topology?.redis?.missedByInstances).toBe(0);
  }
}

/**
 * Topic and room messages are numbered on arrival from the bus, in the one
 * order Redis delivers them in, so clients on either instance see the same
 * gap-free sequence of their stream.
 */
describe.skipIf(!HAS_REDIS)('stream workloads on two instances', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(['notifications', 'chat', 'collaboration'])('deliver every %s message once', async (name) => {
    const { code, err, report } = await runScenario(name, ['--instances', '2', '--redis-url', redis.url]);

    expect(err).toBe('');
    expect(code).toBe(0);
    expectEveryMessageOnce(report);
    for (const result of report.results) expect(result.topology?.subscribersPerInstance).toHaveLength(2);
  });

  it.skipIf(!HAS_NGINX)('relay chat through nginx', async () => {
    // SSE and long-polling clients send to their room with POST /publish, which nginx must pass on too.
    const { code, err, report } = await runScenario('chat', ['--instances', '2', '--redis-url', redis.url, '--proxy', 'nginx', '--transports', 'sse,long-polling']);

    expect(err).toBe('');
    expect(code).toBe(0);
    expectEveryMessageOnce(report);
  });
});
