import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { scenarioHash } from '../src/scenarios/identity.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../src/scenarios/settings.js';
import { fakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-scale-out-cli-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const PATH_ENV = { PATH: process.env.PATH ?? '' };

describe('rtbench run scale-out options', () => {
  it('lists the topology options in help', async () => {
    const io = fakeIo(workDir);

    expect(await main(['run', '--help'], io)).toBe(0);
    for (const option of ['--instances <count>', '--bus <kind>', '--redis-url <url>', '--allow-remote-redis', '--proxy <kind>', '--no-single-instance-run']) {
      expect(io.out).toContain(option);
    }
  });

  it('rejects a remote redis url', async () => {
    const io = fakeIo(workDir, PATH_ENV);

    const code = await main(['run', '--instances', '2', '--redis-url', 'redis://10.1.2.3:6379', '--out', join(workDir, 'never.json')], io);

    expect(code).toBe(2);
    expect(io.err).toBe(
      'rtbench: --redis-url host 10.1.2.3 is not a loopback address (127.0.0.0/8, ::1, localhost): rtbench sends traffic only to this machine; pass --allow-remote-redis to use it anyway\n',
    );
  });

  it('rejects several instances on the memory bus', async () => {
    const io = fakeIo(workDir, PATH_ENV);

    const code = await main(['run', '--instances', '2', '--bus', 'memory', '--out', join(workDir, 'never.json')], io);

    expect(code).toBe(2);
    expect(io.err).toContain('--instances 2 needs --bus redis');
  });

  it('explains how to install redis-server', async () => {
    const io = fakeIo(workDir, { PATH: join(workDir, 'no-such-folder') });

    const code = await main(['run', '--instances', '2', '--out', join(workDir, 'never.json')], io);

    expect(code).toBe(1);
    expect(io.err).toBe(
      'rtbench: redis-server not found on PATH: install it (apt-get install redis-server, or brew install redis) or pass --redis-url redis://127.0.0.1:6379\n',
    );
  });
});

describe('rtbench proxy-config', () => {
  it('prints a location per transport', async () => {
    const io = fakeIo(workDir);

    const code = await main(['proxy-config', '--upstreams', '127.0.0.1:9001,127.0.0.1:9002', '--listen', '127.0.0.1:9000'], io);

    expect(code).toBe(0);
    for (const path of ['/poll', '/events', '/ws']) expect(io.out).toContain(`location ${path} {`);
    expect(io.out).toContain('server 127.0.0.1:9001;');
    expect(io.out).toContain('server 127.0.0.1:9002;');
    expect(io.out).toContain('listen 127.0.0.1:9000;');
  });

  it('prints only the requested transport', async () => {
    const io = fakeIo(workDir);

    expect(await main(['proxy-config', '--transports', 'sse'], io)).toBe(0);
    expect(io.out).toContain('location /events {');
    expect(io.out).not.toContain('location /ws {');
    expect(io.out).not.toContain('map $http_upgrade');
  });

  it('rejects an upstream without a port', async () => {
    const io = fakeIo(workDir);

    expect(await main(['proxy-config', '--upstreams', '127.0.0.1'], io)).toBe(2);
    expect(io.err).toContain('expected HOST:PORT, for example 127.0.0.1:8081, not "127.0.0.1"');
  });
});

describe('scenario hash with topology', () => {
  it('ignores the default topology', () => {
    const withoutTopology: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of ['instances', 'bus', 'proxy', 'allowRemoteRedis', 'singleInstanceRun']) delete withoutTopology[key];

    expect(scenarioHash(DEFAULT_SETTINGS)).toBe(scenarioHash(withoutTopology as unknown as RunSettings));
  });

  it('changes with instances, bus and proxy', () => {
    const base = scenarioHash(DEFAULT_SETTINGS);

    expect(scenarioHash({ ...DEFAULT_SETTINGS, instances: 2, bus: 'redis' })).not.toBe(base);
    expect(scenarioHash({ ...DEFAULT_SETTINGS, proxy: 'nginx' })).not.toBe(base);
    expect(scenarioHash({ ...DEFAULT_SETTINGS, bus: 'redis' })).not.toBe(base);
  });

  it('ignores where Redis runs', () => {
    const scaled: RunSettings = { ...DEFAULT_SETTINGS, instances: 2, bus: 'redis' };

    expect(scenarioHash({ ...scaled, redisUrl: 'redis://127.0.0.1:6379', singleInstanceRun: false })).toBe(scenarioHash(scaled));
  });
});
