import { join } from 'node:path';
import type { TransportName } from '../transports/types.js';
import type { NginxWorkerPlan } from './nginx-capacity.js';
import {
  indent,
  proxyProfile,
  renderLocation,
  renderUpgradeMap,
  renderUpstream,
  type NginxMode,
  type ProxyTimingSettings,
} from './nginx-locations.js';

/** Exact path of the health location; it returns a per-run token, so rtbench can check that its own nginx listens on the port. */
export const HEALTH_PATH = '/rtbench-proxy-health';

/** Everything needed to write the nginx.conf of one transport run. */
export interface NginxRunConfig {
  mode: NginxMode;
  transport: TransportName;
  /** Loopback address and port nginx listens on. */
  listenHost: string;
  listenPort: number;
  /** host:port of every instance. */
  upstreams: readonly string[];
  /** Temporary folder for the pid file, the error log and nginx's temp paths. */
  folder: string;
  plan: NginxWorkerPlan;
  timing: ProxyTimingSettings;
  /** Random text that the health location returns; any other response means another server took the port. */
  healthToken: string;
}

/** Renders a complete nginx.conf for one transport run, in the foreground, with every path inside `folder`. */
export function renderRunConfig(config: NginxRunConfig): string {
  const profile = proxyProfile(config.transport, config.timing);
  const folder = config.folder;
  const main = [
    `# nginx.conf written by rtbench for one ${config.transport} run (${config.mode} settings).`,
    'daemon off;',
    'master_process on;',
    `worker_processes ${config.plan.workers};`,
    `worker_rlimit_nofile ${config.plan.workerOpenFiles};`,
    `pid ${join(folder, 'nginx.pid')};`,
    // Workers run in the folder, so tests can find them by their working directory.
    `working_directory ${folder};`,
    `error_log ${join(folder, 'error.log')} warn;`,
    '',
    'events {',
    `    worker_connections ${config.plan.workerConnections};  # client plus upstream connections per worker`,
    '}',
    '',
  ];

  const server = [
    'server {',
    // reuseport gives each worker its own listening socket, so the kernel
    // spreads connections evenly instead of one worker taking most of them.
    `    listen ${config.listenHost}:${config.listenPort}${config.plan.workers > 1 ? ' reuseport' : ''} backlog=16384;`,
    `    location = ${HEALTH_PATH} {`,
    `        return 200 "${config.healthToken}";`,
    '    }',
    // Every path goes to the instances: the transport's route, and for topic
    // and room workloads the stream routes and POST /publish.
    ...indent(renderLocation(profile, config.mode, '/'), 4),
    '}',
  ];

  const http = [
    'http {',
    '    access_log off;',
    ...indent(tempPaths(folder), 4),
    ...(profile.upgrade && config.mode === 'recommended' ? indent(renderUpgradeMap(), 4) : []),
    ...indent(
      renderUpstream(profile, config.mode, {
        servers: config.upstreams,
        keepalive: config.plan.upstreamKeepalive,
        keepaliveTimeoutSec: keepaliveTimeoutSec(config.timing),
      }),
      4,
    ),
    ...indent(server, 4),
    '}',
  ];
  return [...main, ...http, ''].join('\n');
}

function tempPaths(folder: string): string[] {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(folder, `${kind}_temp`)};`);
}

/**
 * The reference server closes idle keep-alive connections after hold + 5 s;
 * nginx must drop its idle upstream connections before that.
 */
function keepaliveTimeoutSec(timing: ProxyTimingSettings): number {
  return Math.max(1, Math.floor(timing.holdMs / 1000));
}

export interface RecommendedConfigOptions {
  transports: readonly TransportName[];
  /** host:port of every instance. */
  upstreams: readonly string[];
  /** host:port nginx listens on. */
  listen: string;
  timing: ProxyTimingSettings;
  /** Idle upstream connections per worker; about the concurrent long-poll clients per worker. */
  keepalive: number;
}

/**
 * Renders the http-level configuration rtbench recommends for the given
 * transports, with a comment on every setting that matters, for users to
 * copy into their own nginx.conf.
 */
export function renderRecommendedConfig(options: RecommendedConfigOptions): string {
  const profiles = options.transports.map((transport) => proxyProfile(transport, options.timing));
  const lines = [
    '# nginx settings rtbench recommends for each transport, inside the http { } block.',
    '# Tested with nginx 1.22; needs nginx 1.15.3 or later for upstream keepalive_timeout.',
    '',
  ];
  if (profiles.some((profile) => profile.upgrade)) lines.push(...renderUpgradeMap(), '');
  for (const profile of profiles) {
    lines.push(
      `# ${profile.transport}`,
      ...renderUpstream(profile, 'recommended', {
        servers: options.upstreams,
        keepalive: options.keepalive,
        keepaliveTimeoutSec: keepaliveTimeoutSec(options.timing),
      }),
      '',
    );
  }
  lines.push('server {', `    listen ${options.listen};`);
  for (const profile of profiles) lines.push('', `    # ${profile.transport}`, ...indent(renderLocation(profile, 'recommended'), 4));
  lines.push('}', '');
  return lines.join('\n');
}
