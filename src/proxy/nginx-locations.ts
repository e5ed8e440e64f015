import { POLL_PATH } from '../transports/long-polling/server.js';
import { SSE_PATH } from '../transports/sse/server.js';
import type { TransportName } from '../transports/types.js';
import { WEBSOCKET_PATH } from '../transports/websocket/server.js';

/**
 * `recommended`: the settings each transport needs behind nginx.
 * `defaults`: nginx's own defaults (HTTP/1.0 upstream without keep-alive,
 * no Upgrade forwarding, response buffering on, 60 s read timeout).
 */
export type NginxMode = 'recommended' | 'defaults';

/** Server settings that the proxy's timeouts must respect. */
export interface ProxyTimingSettings {
  /** Long-poll hold before a 204, ms. */
  holdMs: number;
  /** SSE heartbeat and WebSocket ping interval, ms. */
  heartbeatMs: number;
}

/** Proxy requirements of one transport. */
export interface TransportProxyProfile {
  transport: TransportName;
  path: string;
  /** The transport starts with an HTTP Upgrade that nginx must forward. */
  upgrade: boolean;
  /**
   * All requests of one client must reach the same instance (ip_hash). No
   * reference transport needs it: every instance keeps its own history
   * under the one sequence numbering of the bus, so any instance can serve
   * a poll cursor or a Last-Event-ID. ip_hash also keys on the first three
   * octets of an IPv4 address, which would send every 127.0.0.x client to
   * one instance.
   */
  affinity: boolean;
  /** proxy_read_timeout, seconds. */
  readTimeoutSec: number;
}

/** Long enough that only a dead stream times out; heartbeats arrive far more often. */
const STREAM_READ_TIMEOUT_SEC = 3600;

/** Margin of the long-poll read timeout over the hold, seconds. */
const POLL_TIMEOUT_MARGIN_SEC = 30;

export function proxyProfile(transport: TransportName, timing: ProxyTimingSettings): TransportProxyProfile {
  switch (transport) {
    case 'long-polling':
      return {
        transport,
        path: POLL_PATH,
        upgrade: false,
        affinity: false,
        readTimeoutSec: Math.ceil(timing.holdMs / 1000) + POLL_TIMEOUT_MARGIN_SEC,
      };
    case 'sse':
      return { transport, path: SSE_PATH, upgrade: false, affinity: false, readTimeoutSec: streamTimeout(timing) };
    case 'websocket':
      return { transport, path: WEBSOCKET_PATH, upgrade: true, affinity: false, readTimeoutSec: streamTimeout(timing) };
  }
}

function streamTimeout(timing: ProxyTimingSettings): number {
  return Math.max(STREAM_READ_TIMEOUT_SEC, Math.ceil((timing.heartbeatMs * 4) / 1000));
}

export function upstreamName(transport: TransportName): string {
  return `rtbench_${transport.replace(/-/g, '_')}`;
}

export interface UpstreamOptions {
  servers: readonly string[];
  /** Idle keep-alive connections to the instances each worker keeps open (recommended mode only). */
  keepalive: number;
  /** Seconds an idle upstream connection stays open; below the server's keep-alive timeout. */
  keepaliveTimeoutSec: number;
}

/** Renders the `upstream` block of one transport. */
export function renderUpstream(profile: TransportProxyProfile, mode: NginxMode, options: UpstreamOptions): string[] {
  const lines = [`upstream ${upstreamName(profile.transport)} {`];
  if (profile.affinity) lines.push('    ip_hash;  # every request of one client reaches the same instance');
  for (const server of options.servers) lines.push(`    server ${server};`);
  if (mode === 'recommended') {
    lines.push(`    keepalive ${options.keepalive};  # idle connections to the instances kept per worker, so a new poll or stream needs no TCP handshake`);
    if (profile.transport === 'long-polling') lines.push('    keepalive_requests 100000;  # every poll is one request on a kept connection');
    lines.push(`    keepalive_timeout ${options.keepaliveTimeoutSec}s;  # shorter than the server's own, so nginx never reuses a connection the server is closing`);
  }
  lines.push('}');
  return lines;
}

/**
 * Renders the `location` block of one transport, for its own path or for
 * `path` when given.
 */
export function renderLocation(profile: TransportProxyProfile, mode: NginxMode, path = profile.path): string[] {
  const lines = [`location ${path} {`, `    proxy_pass http://${upstreamName(profile.transport)};`];
  if (mode === 'defaults') {
    lines.push(
      '    # nginx defaults: HTTP/1.0 to the instance without keep-alive, no Upgrade forwarding,',
      '    # responses buffered, proxy_read_timeout 60s.',
      '    # The reference server sends "X-Accel-Buffering: no", which would switch the buffering',
      '    # off per response; ignoring it shows what a server without that header gets.',
      '    proxy_ignore_headers X-Accel-Buffering;',
      '}',
    );
    return lines;
  }

  lines.push('    proxy_http_version 1.1;  # upstream keep-alive and WebSocket both need HTTP/1.1');
  if (profile.upgrade) {
    lines.push(
      '    proxy_set_header Upgrade $http_upgrade;  # hop-by-hop headers are not forwarded unless set here',
      '    proxy_set_header Connection $connection_upgrade;',
    );
  } else {
    lines.push(
      '    proxy_set_header Connection "";  # no "Connection: close" towards the instance, so keep-alive holds',
      '    proxy_buffering off;  # pass every event or poll answer on as soon as it arrives',
      '    proxy_cache off;',
    );
  }
  if (profile.transport === 'long-polling') {
    lines.push('    keepalive_requests 100000;  # the client re-polls on one keep-alive connection');
  }
  const timeoutReason =
    profile.transport === 'long-polling'
      ? "longer than the server's hold, so nginx never cuts a held poll"
      : 'a stream may stay quiet between heartbeats; the default 60s cuts it when they are rarer';
  lines.push(
    '    proxy_set_header Host $host;',
    `    proxy_read_timeout ${profile.readTimeoutSec}s;  # ${timeoutReason}`,
    `    proxy_send_timeout ${profile.readTimeoutSec}s;`,
    '}',
  );
  return lines;
}

/** Renders the http-level map that sets Connection to "upgrade" only for upgrade requests, so plain requests keep upstream keep-alive. */
export function renderUpgradeMap(): string[] {
  return ['map $http_upgrade $connection_upgrade {', '    default upgrade;', "    ''      '';", '}'];
}

export function indent(lines: readonly string[], spaces: number): string[] {
  const padding = ' '.repeat(spaces);
  return lines.map((line) => (line === '' ? line : `${padding}${line}`));
}
