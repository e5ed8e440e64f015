import type { Report } from '../types.js';
import { chartFrame, escapeHtml, formatTick, linearScale, linePath, niceTicks, svgChart, transportColor, xGrid, yGrid } from './svg.js';

/** One load step of a capacity search. */
export interface CapacityPoint {
  /** Clients or messages per second, by the search's dimension. */
  load: number;
  latencyP99Ms: number;
  latencyP50Ms?: number;
  deliveredPerSec?: number;
  /** Whether the step met the service level. */
  passed?: boolean;
}

export interface CapacityCurve {
  transport: string;
  points: CapacityPoint[];
}

export interface CapacityData {
  dimension: 'clients' | 'rate';
  curves: CapacityCurve[];
}

/**
 * Reads the capacity curve from a report, or returns null when the report
 * has none or it does not have the expected shape: `capacity.dimension`
 * and `capacity.curves[].points[]` with `load` and `latencyP99Ms`.
 * `rtbench capacity` writes it (see CapacityReport).
 */
export function readCapacity(report: Report): CapacityData | null {
  const capacity = (report as unknown as { capacity?: unknown }).capacity;
  if (typeof capacity !== 'object' || capacity === null) return null;
  const { dimension, curves } = capacity as Partial<CapacityData>;
  if ((dimension !== 'clients' && dimension !== 'rate') || !Array.isArray(curves)) return null;

  const valid = curves
    .filter((curve) => typeof curve?.transport === 'string' && Array.isArray(curve.points))
    .map((curve) => ({ transport: curve.transport, points: curve.points.filter(isPoint).sort((a, b) => a.load - b.load) }))
    .filter((curve) => curve.points.length > 0);
  return valid.length > 0 ? { dimension, curves: valid } : null;
}

function isPoint(point: unknown): point is CapacityPoint {
  const candidate = point as Partial<CapacityPoint> | null;
  return typeof candidate?.load === 'number' && Number.isFinite(candidate.load) && typeof candidate.latencyP99Ms === 'number' && Number.isFinite(candidate.latencyP99Ms);
}

/** Draws latency p99 against load, one line per transport; steps that missed the service level get a hollow dot. */
export function capacityChart(data: CapacityData): string {
  const frame = chartFrame();
  const loads = data.curves.flatMap((curve) => curve.points.map((point) => point.load));
  const latencies = data.curves.flatMap((curve) => curve.points.map((point) => point.latencyP99Ms));
  const xTicks = niceTicks(Math.max(...loads));
  const yTicks = niceTicks(Math.max(...latencies));
  const x = linearScale(0, xTicks[xTicks.length - 1], frame.left, frame.right);
  const y = linearScale(0, yTicks[yTicks.length - 1], frame.bottom, frame.top);
  const loadUnit = data.dimension === 'clients' ? 'clients' : 'messages per second';

  const series = data.curves.map((curve) => {
    const color = transportColor(curve.transport);
    const path = `<path class="mark series" d="${linePath(curve.points.map((point) => [x(point.load), y(point.latencyP99Ms)] as const))}" fill="none" stroke="${color}" stroke-width="2"/>`;
    const dots = curve.points.map((point) => {
      const fill = point.passed === false ? 'white' : color;
      const tip = `${curve.transport}: ${formatTick(point.load)} ${loadUnit}, p99 ${formatTick(point.latencyP99Ms)} ms${point.passed === false ? ', missed the service level' : ''}`;
      return `<circle class="mark" cx="${x(point.load).toFixed(1)}" cy="${y(point.latencyP99Ms).toFixed(1)}" r="3.5" fill="${fill}" stroke="${color}" stroke-width="1.5"><title>${escapeHtml(tip)}</title></circle>`;
    });
    return [path, ...dots].join('\n');
  });

  const legend = data.curves
    .map((curve, index) => `<text class="legend" x="${frame.left + 8}" y="${frame.top + 14 + index * 16}" fill="${transportColor(curve.transport)}">■ ${escapeHtml(curve.transport)}</text>`)
    .join('\n');
  const body = [
    yGrid(frame, yTicks, y, 'latency p99, ms'),
    xGrid(frame, xTicks.map((tick) => ({ value: tick, label: formatTick(tick) })), x, loadUnit),
    ...series,
    legend,
  ].join('\n');
  return svgChart('capacity', `Capacity: latency p99 by ${loadUnit}`, body);
}
