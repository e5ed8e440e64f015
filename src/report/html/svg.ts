/** Small SVG building blocks for the report's charts; every chart is drawn at generation time. */

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 300;
export const MARGIN = { top: 16, right: 24, bottom: 44, left: 64 } as const;

/** Colours per transport, distinguishable for the common colour-vision deficiencies (Okabe-Ito palette). */
const TRANSPORT_COLORS: Record<string, string> = {
  'long-polling': '#E69F00',
  sse: '#009E73',
  websocket: '#0072B2',
};

export function transportColor(transport: string): string {
  return TRANSPORT_COLORS[transport] ?? '#666666';
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Maps a domain interval onto a pixel interval. */
export function linearScale(domainMin: number, domainMax: number, rangeMin: number, rangeMax: number): (value: number) => number {
  const span = domainMax - domainMin || 1;
  return (value) => rangeMin + ((value - domainMin) / span) * (rangeMax - rangeMin);
}

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten, about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let value = 0; value < max + step * 0.999; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

/** Formats an axis value without trailing zeros: 0, 0.5, 12, 1,500. */
export function formatTick(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export interface ChartFrame {
  /** Plot area in pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function chartFrame(width = CHART_WIDTH, height = CHART_HEIGHT): ChartFrame {
  return { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
}

/**
 * Wraps chart content in an `<svg class="chart">` with a title for screen
 * readers. `data-chart` names the chart kind; the browser test finds every
 * chart by it.
 */
export function svgChart(kind: string, title: string, body: string, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  return [
    `<svg class="chart" data-chart="${escapeHtml(kind)}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(title)}</title>`,
    body,
    '</svg>',
  ].join('\n');
}

/** Draws a horizontal grid line with its label on the left for each y tick, and the axis title. */
export function yGrid(frame: ChartFrame, ticks: readonly number[], y: (value: number) => number, unit: string): string {
  const lines = ticks.map((tick) => {
    const position = y(tick).toFixed(1);
    return `<line class="grid" x1="${frame.left}" x2="${frame.right}" y1="${position}" y2="${position}"/><text class="tick" x="${frame.left - 6}" y="${position}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatTick(tick))}</text>`;
  });
  const label = `<text class="axis-label" transform="translate(14 ${(frame.top + frame.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(unit)}</text>`;
  return [...lines, label].join('\n');
}

/** Draws a vertical grid line with its label below the plot for each x tick, and the axis title. */
export function xGrid(frame: ChartFrame, ticks: ReadonlyArray<{ value: number; label: string }>, x: (value: number) => number, unit: string): string {
  const lines = ticks.map((tick) => {
    const position = x(tick.value).toFixed(1);
    return `<line class="grid" x1="${position}" x2="${position}" y1="${frame.top}" y2="${frame.bottom}"/><text class="tick" x="${position}" y="${frame.bottom + 16}" text-anchor="middle">${escapeHtml(tick.label)}</text>`;
  });
  const label = `<text class="axis-label" x="${(frame.left + frame.right) / 2}" y="${frame.bottom + 36}" text-anchor="middle">${escapeHtml(unit)}</text>`;
  return [...lines, label].join('\n');
}

/** The `d` attribute of a line through the points, in pixels. */
export function linePath(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([px, py], index) => `${index === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
}
