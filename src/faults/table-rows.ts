import { formatCount, formatMs, formatSecondsFromMs } from '../report/format.js';
import type { TransportResult } from '../report/types.js';
import type { FaultEvent, FaultResult } from './types.js';

/** A table section in the shape the comparison table renders. */
export interface FaultSection {
  title: string;
  rows: { label: string; cell: (result: TransportResult) => string }[];
}

/** Block characters of a sparkline, from an empty interval to the peak. */
const SPARK = '▁▂▃▄▅▆▇█';

/** Widest sparkline in a table cell, characters; longer series are merged by their maximum. */
const SPARK_WIDTH = 24;

function faultCell(read: (faults: FaultResult) => string): (result: TransportResult) => string {
  return (result) => (result.faults ? read(result.faults) : 'n/a');
}

function eventsOf(faults: FaultResult, kind: FaultEvent['kind']): FaultEvent[] {
  return faults.events.filter((event) => event.kind === kind);
}

/** Formats one value per event of that kind, joined, or 'none' when the fault never fired. */
function perEvent(faults: FaultResult, kind: FaultEvent['kind'], format: (event: FaultEvent) => string): string {
  const events = eventsOf(faults, kind);
  return events.length === 0 ? 'none' : events.map(format).join(' / ');
}

/** Draws reconnects per interval as a sparkline, scaled to the peak. */
export function sparkline(counts: readonly number[], width = SPARK_WIDTH): string {
  if (counts.length === 0) return '';
  const step = Math.ceil(counts.length / width);
  const merged: number[] = [];
  for (let i = 0; i < counts.length; i += step) merged.push(Math.max(...counts.slice(i, i + step)));
  const peak = Math.max(...merged);
  if (peak === 0) return SPARK[0].repeat(merged.length);
  return merged.map((count) => SPARK[Math.round((count / peak) * (SPARK.length - 1))]).join('');
}

function peakOffsetMs(faults: FaultResult): number | null {
  const { perInterval, peakPerInterval, intervalMs } = faults.reconnects;
  if (perInterval.length === 0) return null;
  return perInterval.indexOf(peakPerInterval) * intervalMs;
}

function reconnectTime(pick: 'p50' | 'p99' | 'max'): (faults: FaultResult) => string {
  return (faults) => (faults.reconnects.timeMs.count > 0 ? formatMs(faults.reconnects.timeMs[pick]) : 'n/a');
}

const CONNECTION_ROWS: FaultSection['rows'] = [
  { label: 'connections dropped', cell: faultCell((f) => perEvent(f, 'drop', (event) => formatCount(event.connectionsClosed))) },
  { label: 'dropped at (s)', cell: faultCell((f) => perEvent(f, 'drop', (event) => formatSecondsFromMs(event.atMs))) },
  { label: 'server restarted at (s)', cell: faultCell((f) => perEvent(f, 'restart', (event) => formatSecondsFromMs(event.atMs))) },
  { label: 'server restart downtime (ms)', cell: faultCell((f) => perEvent(f, 'restart', (event) => formatMs(event.downtimeMs))) },
  { label: 'subscriptions lost / back', cell: faultCell((f) => `${formatCount(f.reconnects.disconnects)} / ${formatCount(f.reconnects.reconnects)}`) },
  { label: 'reconnect time p50 (ms)', cell: faultCell(reconnectTime('p50')) },
  { label: 'reconnect time p99 (ms)', cell: faultCell(reconnectTime('p99')) },
  { label: 'reconnect time max (ms)', cell: faultCell(reconnectTime('max')) },
  { label: 'reconnects per 100 ms, peak', cell: faultCell((f) => (f.reconnects.perInterval.length > 0 ? formatCount(f.reconnects.peakPerInterval) : 'none')) },
  { label: 'peak after the first fault (s)', cell: faultCell((f) => formatSecondsFromMs(peakOffsetMs(f))) },
  { label: 'reconnects per 100 ms, over time', cell: faultCell((f) => (f.reconnects.perInterval.length > 0 ? sparkline(f.reconnects.perInterval) : 'none')) },
  { label: 'time until all were back (s)', cell: faultCell((f) => (f.events.length === 0 ? 'n/a' : f.events.map((event) => formatSecondsFromMs(event.allBackMs)).join(' / '))) },
  { label: 'clients still down at the end', cell: faultCell((f) => formatCount(f.reconnects.stillDown)) },
  { label: 'messages lost across the fault', cell: faultCell((f) => formatCount(f.messagesLost)) },
];

const SLOW_CLIENT_ROWS: FaultSection['rows'] = [
  { label: 'slow clients connected', cell: faultCell((f) => (f.slowClients ? `${formatCount(f.slowClients.connected)} / ${formatCount(f.slowClients.clients)}` : 'none')) },
  { label: 'slow clients: delivered / expected', cell: faultCell((f) => (f.slowClients ? `${formatCount(f.slowClients.delivered)} / ${formatCount(f.slowClients.expected)}` : 'n/a')) },
  { label: 'slow clients: latency p50 (ms)', cell: faultCell((f) => (f.slowClients?.latencyMs.count ? formatMs(f.slowClients.latencyMs.p50) : 'n/a')) },
  { label: 'slow clients: latency p99 (ms)', cell: faultCell((f) => (f.slowClients?.latencyMs.count ? formatMs(f.slowClients.latencyMs.p99) : 'n/a')) },
];

const SERVER_ROWS: FaultSection['rows'] = [
  { label: 'messages dropped for backpressure', cell: faultCell((f) => formatCount(f.server.backpressureDrops)) },
  { label: 'subscribers closed for backpressure', cell: faultCell((f) => formatCount(f.server.backpressureCloses)) },
  { label: 'dead peers closed', cell: faultCell((f) => formatCount(f.server.deadPeersClosed)) },
  { label: 'requests rejected', cell: faultCell((f) => formatCount(Object.values(f.server.rejections).reduce((sum, count) => sum + count, 0))) },
];

/**
 * Returns the table sections for injected faults, none when the report has
 * no fault. Slow-client rows appear only when slow clients were injected.
 */
export function faultSections(results: readonly TransportResult[]): FaultSection[] {
  const faults = results.map((result) => result.faults).filter((item): item is FaultResult => item !== undefined);
  if (faults.length === 0) return [];

  const injected = faults[0].injected;
  const sections: FaultSection[] = [];
  if (injected.drop || injected.restartAtSec !== null) {
    const resume = injected.wsResume ? 'with' : 'without';
    sections.push({ title: `Connection faults (WebSocket clients ${resume} resume)`, rows: CONNECTION_ROWS });
  }
  if (injected.slowClientFraction > 0) {
    sections.push({ title: `Slow clients (${(injected.slowClientFraction * 100).toFixed(1)}%; the rows above count the other clients)`, rows: SLOW_CLIENT_ROWS });
  }
  sections.push({ title: 'Server under faults', rows: SERVER_ROWS });
  return sections;
}
