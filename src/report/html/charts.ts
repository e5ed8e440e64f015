import { describeMs } from '../format.js';
import { MARKED_PERCENTILES, percentileLabel, type PercentileDistribution } from './percentiles.js';
import { chartFrame, CHART_WIDTH, escapeHtml, formatTick, linearScale, linePath, niceTicks, svgChart, transportColor, xGrid, yGrid } from './svg.js';

/**
 * Draws a latency-by-percentile chart in the style of HdrHistogram's plots:
 * the x axis is log10(1 / (1 − percentile)), so 90%, 99% and 99.9% are evenly
 * spaced and the tail gets as much room as the median. The y axis is linear
 * from 0 ms.
 */
export function latencyChart(transport: string, distribution: PercentileDistribution): string {
  const frame = chartFrame();
  const yTicks = niceTicks(distribution.maxMs);
  // The axis runs to the next whole decade (99% at least), so the tick where the curve stops is labelled.
  const axisDecades = Math.max(2, Math.ceil(distribution.maxX - 1e-9));
  const x = linearScale(0, axisDecades, frame.left, frame.right);
  const y = linearScale(0, yTicks[yTicks.length - 1], frame.bottom, frame.top);

  const decades = Array.from({ length: axisDecades + 1 }, (_, decade) => ({ value: decade, label: percentileLabel(decade) }));
  const line = linePath(distribution.points.map((point) => [x(point.x), y(point.latencyMs)] as const));
  const color = transportColor(transport);

  const dots = MARKED_PERCENTILES.map((percentile) => distribution.points.find((point) => point.percentile === percentile))
    .filter((point) => point !== undefined)
    .map((point) => {
      const tip = `p${formatTick(point.percentile)}: ${describeMs(point.latencyMs)}`;
      return `<circle class="mark" cx="${x(point.x).toFixed(1)}" cy="${y(point.latencyMs).toFixed(1)}" r="3.5" fill="${color}"><title>${escapeHtml(tip)}</title></circle>`;
    });

  const title = `${transport}: latency by percentile, ${distribution.count.toLocaleString('en-US')} deliveries, max ${describeMs(distribution.maxMs)}`;
  const body = [
    yGrid(frame, yTicks, y, 'latency, ms'),
    xGrid(frame, decades, x, 'percentile (log scale)'),
    `<path class="mark series" d="${line}" fill="none" stroke="${color}" stroke-width="2"/>`,
    ...dots,
  ].join('\n');
  return svgChart('latency', title, body);
}

export interface Bar {
  transport: string;
  /** Null draws no bar and prints "not measured". */
  value: number | null;
}

const BAR_HEIGHT = 28;
const BAR_GAP = 14;

/** Draws one horizontal bar per transport, with the formatted value at its end. */
export function barChart(kind: string, title: string, bars: readonly Bar[], format: (value: number) => string, unit: string): string {
  const height = 24 + bars.length * (BAR_HEIGHT + BAR_GAP) + 40;
  const frame = { left: 120, right: CHART_WIDTH - 110, top: 16, bottom: height - 40 };
  const measured = bars.map((bar) => bar.value).filter((value): value is number => value !== null);
  const ticks = niceTicks(Math.max(0, ...measured));
  const x = linearScale(0, ticks[ticks.length - 1], frame.left, frame.right);

  const rows = bars.map((bar, index) => {
    const top = frame.top + 8 + index * (BAR_HEIGHT + BAR_GAP);
    const middle = top + BAR_HEIGHT / 2;
    const name = `<text class="bar-name" x="${frame.left - 8}" y="${middle}" text-anchor="end" dominant-baseline="middle">${escapeHtml(bar.transport)}</text>`;
    if (bar.value === null) {
      return `${name}<text class="tick" x="${frame.left + 6}" y="${middle}" dominant-baseline="middle">not measured</text>`;
    }
    const width = Math.max(1, x(bar.value) - frame.left);
    const label = escapeHtml(format(bar.value));
    return [
      name,
      `<rect class="mark" x="${frame.left}" y="${top}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${transportColor(bar.transport)}"><title>${escapeHtml(bar.transport)}: ${label}</title></rect>`,
      `<text class="value" x="${(frame.left + width + 6).toFixed(1)}" y="${middle}" dominant-baseline="middle">${label}</text>`,
    ].join('');
  });

  const body = [xGrid(frame, ticks.map((tick) => ({ value: tick, label: formatTick(tick) })), x, unit), ...rows].join('\n');
  return svgChart(kind, title, body, CHART_WIDTH, height);
}
