import Table from 'cli-table3';
import { formatCount, formatMiB, formatMs, formatPercent, formatRate } from '../report/format.js';
import type { Report, TransportResult } from '../report/types.js';
import type { CapacityReport, CapacityStep, ServiceLevel, TransportCapacity } from './types.js';

/** Describes the service level in words, for table titles and messages. */
export function describeServiceLevel(level: ServiceLevel): string {
  const lost = level.maxLost === 0 ? 'no lost messages' : `at most ${level.maxLost} lost messages`;
  const generator = level.allowSaturatedGenerator ? '' : ', generator not saturated';
  return `p99 ≤ ${level.maxP99Ms} ms, ${lost}${generator}`;
}

const END_NOTES: Record<TransportCapacity['end'], string> = {
  bisected: '',
  'upper-bound': ' (every step passed up to the upper bound)',
  'lower-bound': ' (no step passed down to the lower bound)',
  'max-steps': ' (stopped at --max-steps)',
  interrupted: ' (interrupted)',
};

/** Renders the largest passing load per transport, with the figures measured at it, side by side. */
export function renderCapacitySummary(report: Report): string {
  const capacity = report.capacity as CapacityReport;
  const columns = capacity.curves;
  const table = new Table({ head: ['', ...columns.map((entry) => entry.transport)], style: { head: [], border: [], compact: true } });
  table.push([{ colSpan: columns.length + 1, content: `Largest ${capacity.dimension === 'clients' ? 'client count' : 'rate'} meeting ${describeServiceLevel(capacity.serviceLevel)}` }]);

  const format = (load: number | null) => formatLoadWithUnit(load, capacity.unit);
  const atMaximum = (entry: TransportCapacity) => report.results.find((result) => result.transport === entry.transport && entry.maximum !== null);
  const figure = (read: (result: TransportResult) => string) => columns.map((entry) => {
    const result = atMaximum(entry);
    return result ? read(result) : 'n/a';
  });

  table.push(['  maximum', ...columns.map((entry) => `${format(entry.maximum)}${END_NOTES[entry.end]}`)]);
  table.push(['  first failing step', ...columns.map((entry) => describeFirstFailure(entry, capacity.unit))]);
  table.push(['  steps measured', ...columns.map((entry) => String(entry.points.length))]);
  table.push([{ colSpan: columns.length + 1, content: 'At the maximum' }]);
  table.push(['  latency p50 (ms)', ...figure((result) => formatMs(result.latencyMs.p50))]);
  table.push(['  latency p99 (ms)', ...figure((result) => formatMs(result.latencyMs.p99))]);
  table.push(['  delivered (msg/s)', ...figure((result) => formatRate(result.throughput.deliveredPerSec))]);
  table.push(['  lost', ...figure((result) => formatCount(result.messages.lost))]);
  table.push(['  server CPU (% of one core)', ...figure((result) => formatPercent(result.server.cpuPercent))]);
  table.push(['  server RSS peak (MiB)', ...figure((result) => formatMiB(result.server.rssPeakBytes))]);
  table.push(['  generator CPU (% of one core)', ...figure((result) => formatPercent(result.generator.cpuPercent))]);
  return table.toString();
}

function describeFirstFailure(entry: TransportCapacity, unit: string): string {
  if (entry.firstFailure === null) return 'none';
  const step = entry.points.find((point) => point.load === entry.firstFailure);
  return `${formatLoadWithUnit(entry.firstFailure, unit)}: ${step ? shortFailures(step) : 'failed'}`;
}

/** Joins a step's failures without their parenthesized details; the report keeps them whole. */
function shortFailures(step: CapacityStep): string {
  return step.failures.map((failure) => failure.replace(/ \(.*\)$/, '')).join('; ');
}

/** Renders one table per transport: every load measured, in order, with its figures and verdict. */
export function renderCapacityCurves(report: Report): string {
  const capacity = report.capacity as CapacityReport;
  return capacity.curves.map((entry) => renderCurve(entry, capacity.unit)).join('\n');
}

function renderCurve(entry: TransportCapacity, unit: string): string {
  const table = new Table({
    head: [`${entry.transport} (${unit})`, 'p50 (ms)', 'p99 (ms)', 'delivered (msg/s)', 'lost', 'server CPU (%)', 'server RSS (MiB)', 'verdict'],
    style: { head: [], border: [], compact: true },
  });
  for (const step of entry.points) table.push(curveRow(step, unit));
  return table.toString();
}

function curveRow(step: CapacityStep, unit: string): string[] {
  return [
    formatLoad(step.load, unit),
    formatMs(step.latencyP50Ms),
    formatMs(step.latencyP99Ms),
    formatRate(step.deliveredPerSec),
    formatCount(step.lost),
    formatPercent(step.serverCpuPercent),
    formatMiB(step.serverRssPeakBytes),
    step.passed ? 'pass' : `fail: ${shortFailures(step)}`,
  ];
}

/** Formats a load as a bare number: "4,000" clients, "12.5" messages per second. */
export function formatLoad(load: number | null, unit: string): string {
  if (load === null) return 'none';
  return unit === 'clients' ? formatCount(load) : String(load);
}

/** Formats a load with its unit: "4,000 clients", "12.5 messages/s". */
export function formatLoadWithUnit(load: number | null, unit: string): string {
  return load === null ? 'none' : `${formatLoad(load, unit)} ${unit}`;
}
