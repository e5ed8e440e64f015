import { formatCount, formatMiB, formatMs, formatPercent } from './format.js';
import type { TopologyResult } from './topology.js';
import type { TransportResult } from './types.js';

/** One row of the scale-out section: a label and the cell of each transport. */
export interface TopologyRow {
  label: string;
  cell: (result: TransportResult) => string;
}

const NONE = '–';

function withTopology(read: (topology: TopologyResult) => string): (result: TransportResult) => string {
  return (result) => (result.topology ? read(result.topology) : NONE);
}

/** Formats a signed difference in ms, so an added latency reads "+1.20" and a saving "-0.40". */
function formatDelta(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  return value >= 0 ? `+${formatMs(value)}` : `-${formatMs(-value)}`;
}

function describeInstances(topology: TopologyResult): string {
  const spread = topology.subscribersPerInstance.map((count) => formatCount(count)).join(' / ');
  return topology.instances > 1 && spread !== '' ? `${topology.instances} (${spread})` : String(topology.instances);
}

function describeBus(topology: TopologyResult): string {
  if (!topology.redis) return topology.bus;
  return `redis${topology.redis.private ? ', private' : ''}${topology.redis.failure ? ', FAILED' : ''}`;
}

function describeProxy(topology: TopologyResult): string {
  if (!topology.nginx) return topology.proxy;
  return `${topology.proxy}, ${topology.nginx.workers} workers`;
}

function describeSingleInstance(topology: TopologyResult): string {
  if (!topology.singleInstance) return 'not run';
  if (topology.singleInstance.status !== 'completed') return topology.singleInstance.status;
  return formatMs(topology.singleInstance.latencyP50Ms);
}

function describeSingleInstanceSaturation(topology: TopologyResult): string {
  if (!topology.singleInstance) return NONE;
  return topology.singleInstance.generatorSaturated ? 'YES' : 'no';
}

/**
 * The rows the comparison table adds when any transport ran with several
 * instances, the Redis bus or a proxy.
 */
export const TOPOLOGY_ROWS: TopologyRow[] = [
  { label: 'instances (subscribers each)', cell: withTopology(describeInstances) },
  { label: 'bus', cell: withTopology(describeBus) },
  { label: 'proxy', cell: withTopology(describeProxy) },
  { label: 'bus hop p50, publish to instance (ms)', cell: withTopology((t) => (t.redis ? formatMs(t.redis.hopMs.p50) : NONE)) },
  { label: 'bus hop p99 (ms)', cell: withTopology((t) => (t.redis ? formatMs(t.redis.hopMs.p99) : NONE)) },
  { label: 'messages an instance missed on the bus', cell: withTopology((t) => (t.redis ? formatCount(t.redis.missedByInstances + t.redis.publishFailed) : NONE)) },
  { label: 'Redis CPU (% of one core)', cell: withTopology((t) => (t.redis?.private ? formatPercent(t.redis.cpuPercent) : NONE)) },
  { label: 'Redis RSS (MiB)', cell: withTopology((t) => (t.redis?.private ? formatMiB(t.redis.rssBytes) : NONE)) },
  { label: 'nginx CPU (% of one core)', cell: withTopology((t) => (t.nginx ? formatPercent(t.nginx.cpuPercent) : NONE)) },
  { label: 'nginx RSS, all processes (MiB)', cell: withTopology((t) => (t.nginx ? formatMiB(t.nginx.rssBytes) : NONE)) },
  { label: 'nginx error log lines', cell: withTopology((t) => (t.nginx ? formatCount(t.nginx.errorLogLines) : NONE)) },
  { label: '1 instance, no bus/proxy: p50 (ms)', cell: withTopology(describeSingleInstance) },
  { label: '1 instance, no bus/proxy: p99 (ms)', cell: withTopology((t) => (t.singleInstance ? formatMs(t.singleInstance.latencyP99Ms) : 'not run')) },
  { label: '1 instance: generator saturated', cell: withTopology(describeSingleInstanceSaturation) },
  { label: 'added latency p50 (ms)', cell: withTopology((t) => formatDelta(t.addedLatencyMs?.p50)) },
  { label: 'added latency p99 (ms)', cell: withTopology((t) => formatDelta(t.addedLatencyMs?.p99)) },
  { label: 'added at 1 subscriber, floor p50 (ms)', cell: withTopology((t) => formatDelta(t.addedLatencyMs?.floorP50)) },
];

export const TOPOLOGY_TITLE = 'Scale-out: instances, bus and proxy';
