import { decodeHistogram } from '../../metrics/histogram.js';

/** One point of a percentile distribution. */
export interface PercentilePoint {
  /** 0 to 100. */
  percentile: number;
  /** log10(1 / (1 − percentile/100)): 0 at 0%, 1 at 90%, 2 at 99%, 3 at 99.9%. */
  x: number;
  latencyMs: number;
}

export interface PercentileDistribution {
  points: PercentilePoint[];
  /** The highest recorded latency (the top bucket's highest value), ms. */
  maxMs: number;
  count: number;
  /** The x of the last point: the deepest percentile the sample count can resolve. */
  maxX: number;
}

/** Points per decade of the log axis: 20 give a smooth curve in a few kB of SVG. */
const STEPS_PER_DECADE = 20;

/** The axis ends at 99.9999% at most, as HdrHistogram's plots do. */
const DEEPEST_DECADE = 6;

/** Percentiles read exactly, besides the evenly spaced points, so the chart can mark them. */
export const MARKED_PERCENTILES = [50, 90, 99, 99.9, 99.99, 99.999];

/**
 * Decodes a report's compressed HdrHistogram (microseconds) and reads the
 * latency at percentiles spaced evenly on the log axis of HdrHistogram's
 * percentile plots. The axis stops at the decade the sample count can
 * resolve: with 1,000 samples, 99.9% is the last percentile that is not
 * simply the maximum. Returns null for an empty or missing histogram.
 */
export function percentileDistribution(encoded: string): PercentileDistribution | null {
  if (encoded.length === 0) return null;
  const histogram = decodeHistogram(encoded);
  const count = histogram.totalCount;
  if (count === 0) return null;

  const maxX = Math.min(DEEPEST_DECADE, Math.max(1, Math.log10(count)));
  const steps = Math.ceil(maxX * STEPS_PER_DECADE);
  const evenly = Array.from({ length: steps + 1 }, (_, step) => 100 * (1 - 10 ** -Math.min(maxX, step / STEPS_PER_DECADE)));
  const marked = MARKED_PERCENTILES.filter((percentile) => xOf(percentile) <= maxX + 1e-9);
  const percentiles = [...new Set([...evenly, ...marked])].sort((a, b) => a - b);
  const points = percentiles.map((percentile) => ({ percentile, x: xOf(percentile), latencyMs: histogram.getValueAtPercentile(percentile) / 1000 }));
  return { points, maxMs: histogram.getValueAtPercentile(100) / 1000, count, maxX };
}

function xOf(percentile: number): number {
  return Math.log10(1 / (1 - percentile / 100));
}

/** Labels the log axis: `0%`, `90%`, `99%`, `99.9%`, ... */
export function percentileLabel(decade: number): string {
  if (decade === 0) return '0%';
  return `${(100 * (1 - 10 ** -decade)).toFixed(Math.max(0, decade - 2))}%`;
}
