import { describeBytes, formatCount, describeMs, describePercent, describeRate, formatRatio } from './format.js';
import type { TransportResult } from './types.js';

/**
 * The unit family of a figure. Values are stored in the report in one base
 * unit per family: ms for time, bytes for bytes, per second for rate.
 */
export type Dimension = 'time' | 'bytes' | 'rate' | 'count' | 'percent' | 'ratio';

export interface Figure {
  /** Public name used by --threshold and --max-regression, e.g. `latency.p99`. */
  name: string;
  /** Field path in TransportResult, e.g. `latencyMs.p99`; also accepted as a name. */
  path: string;
  dimension: Dimension;
  /** Direction of improvement. */
  better: 'lower' | 'higher';
  /** Row label in the delta table and the Markdown summary. */
  label: string;
  /** Shown in the delta table of `compare` and in the Markdown summary. */
  compared: boolean;
  /** Reads a figure that is not a plain field, or returns null where the field would mislead. */
  read?: (result: TransportResult) => number | null;
}

/** Reads a latency percentile, or null when no message was delivered, because the percentile then means nothing. */
function latency(key: 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean'): (result: TransportResult) => number | null {
  return (result) => (result.latencyMs.count > 0 ? result.latencyMs[key] : null);
}

function define(name: string, path: string, dimension: Dimension, better: Figure['better'], label: string, compared: boolean, read?: Figure['read']): Figure {
  return { name, path, dimension, better, label, compared, read };
}

/**
 * Every figure that thresholds and comparisons can name: the alias table
 * from public names to TransportResult fields, defined only here.
 */
export const FIGURES: readonly Figure[] = [
  define('clients.connected', 'clients.connected', 'count', 'higher', 'clients connected', true),
  define('clients.failed', 'clients.failed', 'count', 'lower', 'clients failed to connect', false),
  define('clients.notConnected', 'clients.notConnected', 'count', 'lower', 'clients not connected', false, (r) => r.clients.target - r.clients.connected),
  define('connectTime.p50', 'connectTimeMs.p50', 'time', 'lower', 'connect time p50', false),
  define('connectTime.p99', 'connectTimeMs.p99', 'time', 'lower', 'connect time p99', true),
  define('connectTime.max', 'connectTimeMs.max', 'time', 'lower', 'connect time max', false),
  define('connectTime.allConnected', 'connectTimeMs.allConnected', 'time', 'lower', 'time to connect all', false),
  define('latency.count', 'latencyMs.count', 'count', 'higher', 'latency samples', false),
  define('latency.p50', 'latencyMs.p50', 'time', 'lower', 'latency p50', true, latency('p50')),
  define('latency.p90', 'latencyMs.p90', 'time', 'lower', 'latency p90', false, latency('p90')),
  define('latency.p99', 'latencyMs.p99', 'time', 'lower', 'latency p99', true, latency('p99')),
  define('latency.p999', 'latencyMs.p999', 'time', 'lower', 'latency p99.9', false, latency('p999')),
  define('latency.max', 'latencyMs.max', 'time', 'lower', 'latency max', true, latency('max')),
  define('latency.mean', 'latencyMs.mean', 'time', 'lower', 'latency mean', false, latency('mean')),
  define('sendLag.p99', 'sendLagMs.p99', 'time', 'lower', 'server send lag p99', true, (r) => (r.sendLagMs.count > 0 ? r.sendLagMs.p99 : null)),
  define('floor.p50', 'floor.latencyP50Ms', 'time', 'lower', 'floor: 1 subscriber p50', false, (r) => r.floor?.latencyP50Ms ?? null),
  define('messages.expected', 'messages.expected', 'count', 'higher', 'messages expected', false),
  define('messages.delivered', 'messages.delivered', 'count', 'higher', 'messages delivered', false),
  define('messages.lost', 'messages.lost', 'count', 'lower', 'messages lost', true),
  define('messages.duplicated', 'messages.duplicated', 'count', 'lower', 'messages duplicated', false),
  define('messages.outOfOrder', 'messages.outOfOrder', 'count', 'lower', 'messages out of order', false),
  define('throughput.deliveredPerSec', 'throughput.deliveredPerSec', 'rate', 'higher', 'delivered per second', true),
  define('throughput.publishedPerSec', 'throughput.publishedPerSec', 'rate', 'higher', 'published per second', false),
  define('wire.clientBytesPerMessage', 'wire.clientBytesPerMessage', 'bytes', 'lower', 'bytes received per message', true),
  define('wire.serverBytesPerMessage', 'wire.serverBytesPerMessage', 'bytes', 'lower', 'bytes sent per message', false),
  define('wire.requestsPerMessage', 'wire.requestsPerMessage', 'ratio', 'lower', 'HTTP requests per message', false),
  define('server.rssBase', 'server.rssBaseBytes', 'bytes', 'lower', 'server RSS before clients', false),
  define('server.rssIdle', 'server.rssIdleBytes', 'bytes', 'lower', 'server RSS with clients, idle', false),
  define('server.rssPeak', 'server.rssPeakBytes', 'bytes', 'lower', 'server RSS peak', true),
  define('server.memoryPerConnection', 'server.memoryPerConnectionBytes', 'bytes', 'lower', 'server memory per connection', true),
  define('server.cpu', 'server.cpuPercent', 'percent', 'lower', 'server CPU, % of one core', true),
  define('server.rejected', 'server.rejected', 'count', 'lower', 'server rejected requests', false),
  define('generator.memoryPerClient', 'generator.rssPerClientBytes', 'bytes', 'lower', 'generator memory per client', false),
  define('generator.rssPeak', 'generator.rssPeakBytes', 'bytes', 'lower', 'generator RSS peak', false),
  define('generator.cpu', 'generator.cpuPercent', 'percent', 'lower', 'generator CPU, % of one core', false),
  define('generator.eventLoopDelayP99', 'generator.eventLoopDelayP99Ms', 'time', 'lower', 'generator event-loop delay p99', false),
];

/** Finds a figure by its public name or by its TransportResult path, case-sensitively. */
export function findFigure(nameOrPath: string): Figure | undefined {
  return FIGURES.find((figure) => figure.name === nameOrPath || figure.path === nameOrPath);
}

/** Reads a figure from one result; null when it was not measured. */
export function readFigure(figure: Figure, result: TransportResult): number | null {
  if (figure.read) return figure.read(result);
  let value: unknown = result;
  for (const key of figure.path.split('.')) {
    if (typeof value !== 'object' || value === null) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Formats a value of the figure's dimension with its unit, as the tables do. */
export function formatFigure(figure: Figure, value: number | null | undefined): string {
  switch (figure.dimension) {
    case 'time':
      return describeMs(value);
    case 'bytes':
      return describeBytes(value);
    case 'rate':
      return describeRate(value, 'msg/s');
    case 'count':
      return formatCount(value);
    case 'percent':
      return describePercent(value);
    case 'ratio':
      return formatRatio(value);
  }
}
