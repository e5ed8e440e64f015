import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../src/child/executables.js';
import { ResourceLimitError } from '../src/errors.js';
import { planNginxWorkers } from '../src/proxy/nginx-capacity.js';
import { HEALTH_PATH, renderRecommendedConfig, renderRunConfig, type NginxRunConfig } from '../src/proxy/nginx-config.js';
import { proxyProfile, renderLocation, renderUpstream } from '../src/proxy/nginx-locations.js';
import { TRANSPORT_NAMES } from '../src/transports/registry.js';
import type { TransportName } from '../src/transports/types.js';
import { HAS_NGINX } from './helpers/daemons.js';

const TIMING = { holdMs: 30_000, heartbeatMs: 15_000 };
const workDir = mkdtempSync(join(tmpdir(), 'rtbench-nginx-config-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function runConfig(transport: TransportName, mode: NginxRunConfig['mode'], workers = 2): NginxRunConfig {
  return {
    mode,
    transport,
    listenHost: '127.0.0.1',
    listenPort: 18080,
    upstreams: ['127.0.0.1:18081', '127.0.0.1:18082'],
    folder: join(workDir, `${transport}-${mode}`),
    plan: { workers, workerConnections: 11_064, workerOpenFiles: 11_128, upstreamKeepalive: 5500 },
    timing: TIMING,
    healthToken: 'token123',
  };
}

/** Renders the location block without comments, so checks match directives only. */
function location(transport: TransportName, mode: 'recommended' | 'defaults'): string {
  return renderLocation(proxyProfile(transport, TIMING), mode)
    .map((line) => line.replace(/\s*#.*$/, ''))
    .join('\n');
}

describe('nginx location per transport', () => {
  it('streams SSE unbuffered with long timeouts', () => {
    const text = location('sse', 'recommended');

    expect(text).toContain('location /events {');
    expect(text).toContain('proxy_http_version 1.1;');
    expect(text).toContain('proxy_set_header Connection "";');
    expect(text).toContain('proxy_buffering off;');
    expect(text).toContain('proxy_read_timeout 3600s;');
  });

  it('forwards the WebSocket upgrade headers', () => {
    const text = location('websocket', 'recommended');

    expect(text).toContain('location /ws {');
    expect(text).toContain('proxy_http_version 1.1;');
    expect(text).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(text).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(text).toContain('proxy_read_timeout 3600s;');
  });

  it('holds long polls past the server hold', () => {
    const text = location('long-polling', 'recommended');

    expect(text).toContain('location /poll {');
    expect(text).toContain('proxy_buffering off;');
    expect(text).toContain(`proxy_read_timeout ${TIMING.holdMs / 1000 + 30}s;`);
  });

  it('keeps nginx defaults in defaults mode', () => {
    for (const transport of TRANSPORT_NAMES) {
      const text = location(transport, 'defaults');

      expect(text).not.toContain('proxy_http_version');
      expect(text).not.toContain('proxy_buffering');
      expect(text).not.toContain('proxy_read_timeout');
      expect(text).not.toContain('Upgrade');
      expect(text).toContain('proxy_ignore_headers X-Accel-Buffering;');
    }
  });

  it('uses ip_hash only for affinity', () => {
    const options = { servers: ['127.0.0.1:1', '127.0.0.1:2'], keepalive: 64, keepaliveTimeoutSec: 30 };
    const plain = proxyProfile('long-polling', TIMING);

    expect(plain.affinity).toBe(false);
    expect(renderUpstream(plain, 'recommended', options).join('\n')).not.toContain('ip_hash');
    expect(renderUpstream({ ...plain, affinity: true }, 'recommended', options).join('\n')).toContain('ip_hash;');
  });
});

describe('nginx run config', () => {
  it('keeps every path inside its folder', () => {
    const config = runConfig('sse', 'recommended');
    const text = renderRunConfig(config);

    expect(text).toContain('daemon off;');
    expect(text).toContain(`pid ${join(config.folder, 'nginx.pid')};`);
    expect(text).toContain(`error_log ${join(config.folder, 'error.log')} warn;`);
    for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      expect(text).toContain(`${kind}_temp_path ${join(config.folder, `${kind}_temp`)};`);
    }
    expect(text).toContain('access_log off;');
  });

  it('sizes workers and lists every instance', () => {
    const text = renderRunConfig(runConfig('websocket', 'recommended'));

    expect(text).toContain('worker_processes 2;');
    expect(text).toContain('worker_rlimit_nofile 11128;');
    expect(text).toContain('worker_connections 11064;');
    expect(text).toContain('listen 127.0.0.1:18080 reuseport backlog=16384;');
    expect(text).toContain('server 127.0.0.1:18081;');
    expect(text).toContain('server 127.0.0.1:18082;');
    expect(text).toContain('keepalive 5500;');
    expect(text).toContain('map $http_upgrade $connection_upgrade {');
    expect(text).toContain(`location = ${HEALTH_PATH} {`);
    expect(text).toContain('return 200 "token123";');
  });

  it('omits reuseport with one worker', () => {
    expect(renderRunConfig(runConfig('sse', 'recommended', 1))).toContain('listen 127.0.0.1:18080 backlog=16384;');
  });

  it('has no upstream keep-alive in defaults mode', () => {
    const text = renderRunConfig(runConfig('long-polling', 'defaults'));

    expect(text).not.toContain('keepalive ');
    expect(text).not.toContain('map $http_upgrade');
  });

  it.skipIf(!HAS_NGINX)('passes nginx -t for every transport and mode', () => {
    const nginx = findExecutable('nginx') as string;
    for (const transport of TRANSPORT_NAMES) {
      for (const mode of ['recommended', 'defaults'] as const) {
        const config = runConfig(transport, mode);
        rmSync(config.folder, { recursive: true, force: true });
        const folder = mkdtempSync(join(workDir, 'check-'));
        const file = join(folder, 'nginx.conf');
        writeFileSync(file, renderRunConfig({ ...config, folder }));

        const check = spawnSync(nginx, ['-t', '-p', folder, '-c', file, '-e', join(folder, 'error.log')], { encoding: 'utf8' });

        expect(check.stderr).toContain('syntax is ok');
        expect(check.status).toBe(0);
      }
    }
  });
});

describe('recommended nginx config', () => {
  it('has a location for each transport', () => {
    const text = renderRecommendedConfig({
      transports: [...TRANSPORT_NAMES],
      upstreams: ['127.0.0.1:8081'],
      listen: '127.0.0.1:8080',
      timing: TIMING,
      keepalive: 1024,
    });

    for (const path of ['/poll', '/events', '/ws']) expect(text).toContain(`location ${path} {`);
    for (const name of ['rtbench_long_polling', 'rtbench_sse', 'rtbench_websocket']) expect(text).toContain(`upstream ${name} {`);
    expect(text).toContain('listen 127.0.0.1:8080;');
  });
});

describe('nginx worker plan', () => {
  it('fits 10,000 clients in two workers', () => {
    const plan = planNginxWorkers(10_000, 2, 20_000);

    expect(plan.workers).toBe(2);
    expect(plan.workerOpenFiles).toBeLessThanOrEqual(20_000);
    // Two descriptors per proxied connection for a worker's share, with margin.
    expect(plan.workerConnections).toBeGreaterThanOrEqual(2 * 5000);
    expect(plan.workerConnections).toBeLessThanOrEqual(plan.workerOpenFiles);
  });

  it('adds workers when one core cannot fit', () => {
    const plan = planNginxWorkers(10_000, 1, 20_000);

    expect(plan.workers).toBe(2);
  });

  it('rejects clients beyond every worker limit', () => {
    expect(() => planNginxWorkers(1_000_000, 2, 20_000)).toThrow(ResourceLimitError);
    expect(() => planNginxWorkers(1_000_000, 2, 20_000)).toThrow(/2 descriptors per proxied connection.*hard limit of 20000 \(ulimit -Hn\): use --clients \d+ or fewer/);
  });
});
