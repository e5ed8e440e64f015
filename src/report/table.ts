import Table from 'cli-table3';
import { describeResourceErrors } from '../driver/resource-errors.js';
import { faultSections } from '../faults/table-rows.js';
import type { Report, Spread, TransportResult } from './types.js';
import {
  formatBytes,
  formatCount,
  formatKiB,
  formatMiB,
  formatMs,
  formatPercent,
  formatRate,
  formatRatio,
  formatSecondsFromMs,
  type Formatter,
} from './format.js';
import { TOPOLOGY_ROWS, TOPOLOGY_TITLE } from './topology-table.js';

export interface Row {
  label: string;
  /** Path in TransportResult whose spread is shown with --repeat. */
  path?: string;
  cell: (result: TransportResult) => string;
  format?: Formatter;
}

export interface Section {
  title: string;
  rows: Row[];
}

function figure(path: string, label: string, format: Formatter): Row {
  return { label, path, format, cell: (result) => format(read(result, path)) };
}

function read(result: TransportResult, path: string): number | null {
  let value: unknown = result;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | null)?.[key];
  return typeof value === 'number' ? value : null;
}

/** The rows of the comparison table, by section; every label names its unit. The HTML report renders the same rows. */
export const SECTIONS: Section[] = [
  {
    title: 'Clients',
    rows: [
      { label: 'connected / target', cell: (r) => `${formatCount(r.clients.connected)} / ${formatCount(r.clients.target)}` },
      figure('clients.failed', 'failed to connect', formatCount),
      figure('connectTimeMs.p50', 'connect time p50 (ms)', formatMs),
      figure('connectTimeMs.p99', 'connect time p99 (ms)', formatMs),
      figure('connectTimeMs.allConnected', 'time to connect all (s)', formatSecondsFromMs),
    ],
  },
  {
    title: 'Latency, publish to receive, from the intended send time',
    rows: [
      figure('latencyMs.count', 'samples (deliveries)', formatCount),
      figure('latencyMs.p50', 'p50 (ms)', formatMs),
      figure('latencyMs.p90', 'p90 (ms)', formatMs),
      figure('latencyMs.p99', 'p99 (ms)', formatMs),
      figure('latencyMs.p999', 'p99.9 (ms)', formatMs),
      figure('latencyMs.max', 'max (ms)', formatMs),
      { label: 'floor: 1 subscriber p50 (ms)', cell: (r) => (r.floor ? `${formatMs(r.floor.latencyP50Ms)} (n=${r.floor.samples})` : 'n/a') },
      figure('sendLagMs.p99', 'server send lag p99 (ms)', formatMs),
    ],
  },
  {
    title: 'Messages in the window',
    rows: [
      figure('messages.expected', 'expected', formatCount),
      figure('messages.delivered', 'delivered', formatCount),
      figure('messages.lost', 'lost', formatCount),
      figure('messages.duplicated', 'duplicated', formatCount),
      figure('messages.outOfOrder', 'out of order', formatCount),
      figure('throughput.deliveredPerSec', 'delivered (msg/s)', formatRate),
    ],
  },
  {
    title: 'Wire cost per delivered message',
    rows: [
      figure('wire.clientBytesPerMessage', 'received by clients (bytes)', formatBytes),
      figure('wire.serverBytesPerMessage', 'sent by server (bytes)', formatBytes),
      figure('wire.requestsPerMessage', 'HTTP requests', formatRatio),
    ],
  },
  {
    title: 'Server process',
    rows: [
      figure('server.rssBaseBytes', 'RSS before clients (MiB)', formatMiB),
      figure('server.rssIdleBytes', 'RSS with clients, idle (MiB)', formatMiB),
      figure('server.rssPeakBytes', 'RSS peak (MiB)', formatMiB),
      figure('server.memoryPerConnectionBytes', 'memory per connection (KiB)', formatKiB),
      figure('server.cpuPercent', 'CPU (% of one core)', formatPercent),
      figure('server.fanOutMs.p99', 'fan-out per message p99 (ms)', formatMs),
    ],
  },
  {
    title: 'Load generator process',
    rows: [
      figure('generator.rssPerClientBytes', 'memory per client (KiB)', formatKiB),
      figure('generator.cpuPercent', 'CPU (% of one core)', formatPercent),
      figure('generator.eventLoopDelayP99Ms', 'event-loop delay p99 (ms)', formatMs),
      { label: 'saturated', cell: (r) => (r.generator.saturated ? 'YES (see warnings)' : 'no') },
    ],
  },
];

export interface TableOptions {
  color: boolean;
}

/** Renders the side-by-side comparison of every transport in the report. */
export function renderComparisonTable(report: Report, options: TableOptions): string {
  const results = report.results;
  const table = new Table({
    head: ['', ...results.map((result) => `${result.transport}${result.status === 'completed' ? '' : ` (${result.status})`}`)],
    style: { head: options.color ? ['cyan'] : [], border: [], compact: true },
  });

  const topologySections = results.some((result) => result.topology) ? [{ title: TOPOLOGY_TITLE, rows: TOPOLOGY_ROWS }] : [];
  for (const section of [...SECTIONS, ...topologySections, ...faultSections(results)]) {
    table.push([{ colSpan: results.length + 1, content: paint(section.title, 'bold', options.color) }]);
    for (const row of section.rows) {
      table.push([`  ${row.label}`, ...results.map((result) => cellWithSpread(result, row))]);
    }
  }
  return table.toString();
}

/**
 * With repeats, a cell shows the median and the min–max of the runs.
 * Latency percentiles come from the merged histogram of all runs, so they
 * show that value with the runs' min–max; message counts are totals.
 */
export function cellWithSpread(result: TransportResult, row: Row): string {
  const spread: Spread | undefined = row.path ? result.spread?.[row.path] : undefined;
  if (!spread || !row.format || row.path?.startsWith('messages.')) return row.cell(result);
  const range = `(${row.format(spread.min)}–${row.format(spread.max)})`;
  if (row.path?.startsWith('latencyMs.')) return `${row.cell(result)} ${range}`;
  return `${row.format(spread.median)} ${range}`;
}

/** One line per problem a reader must know about before trusting the table. */
export function renderWarnings(report: Report, options: TableOptions): string[] {
  const lines: string[] = [];
  for (const result of report.results) {
    for (const reason of result.generator.saturationReasons) {
      lines.push(paint(`warning: ${result.transport}: ${reason}; these figures measure the load generator, not the transport`, 'yellow', options.color));
    }
    if (result.error) lines.push(paint(`${result.transport} ${result.status}: ${result.error.message}`, 'red', options.color));
    const nginx = result.topology?.nginx;
    if (nginx && nginx.errorLogLines > 0) {
      lines.push(paint(`warning: ${result.transport}: nginx logged ${nginx.errorLogLines} lines at warn level or above, the last: ${nginx.lastErrorLogLine}`, 'yellow', options.color));
    }
    if (result.clients.failed > 0) {
      lines.push(paint(`warning: ${result.transport}: ${result.clients.failed} clients failed to connect (${describeErrors(result.clients.errors)})`, 'yellow', options.color));
    }
    lines.push(...limitWarnings(result).map((line) => paint(`warning: ${result.transport}: ${line}`, 'yellow', options.color)));
  }
  return lines;
}

/** Open descriptors this close to the limit mean the server ran out: libuv keeps one in reserve and closes new connections. */
const DESCRIPTOR_SLACK = 4;

/** Limits of the machine that the run hit, and server backpressure that no injected fault explains. */
function limitWarnings(result: TransportResult): string[] {
  const lines = describeResourceErrors(result.clients.errors);
  const { backpressureDrops, backpressureCloses, acceptErrors, descriptors } = result.server;
  if (acceptErrors > 0) {
    lines.push(`the server failed to accept ${acceptErrors} connections (usually EMFILE: its file-descriptor limit, ulimit -n); these are limits of this machine, not of the transport`);
  }
  if (descriptors && descriptors.open >= descriptors.limit - DESCRIPTOR_SLACK) {
    lines.push(
      `the server held ${descriptors.open} of its ${descriptors.limit} file descriptors (ulimit -n) after the ramp-up, so connections beyond them were reset: ` +
        'raise the limit with "ulimit -n" before starting rtbench, or lower --clients; this is a limit of this machine, not of the transport',
    );
  }
  if (!result.faults && backpressureDrops + backpressureCloses > 0) {
    lines.push(`the server dropped ${backpressureDrops} messages and closed ${backpressureCloses} subscribers whose send buffer was full: some clients did not keep up`);
  }
  return lines;
}

function describeErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  if (entries.length === 0) return 'no error recorded';
  return entries.map(([code, count]) => `${code} ×${count}`).join(', ');
}

const ANSI = { bold: '\u001b[1m', yellow: '\u001b[33m', red: '\u001b[31m', reset: '\u001b[0m' } as const;

function paint(text: string, style: 'bold' | 'yellow' | 'red', color: boolean): string {
  return color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
}
