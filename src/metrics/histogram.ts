import * as hdr from 'hdr-histogram-js';

/**
 * Latency histograms record microseconds, from 1 µs to one hour, with three
 * significant digits: every percentile is exact to 0.1% of its value.
 */
const LOWEST_US = 1;
const HIGHEST_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

export type Histogram = hdr.Histogram;

/** Percentiles of a latency histogram in milliseconds, with the sample count. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function createHistogram(): Histogram {
  // The plain JS implementation: the WebAssembly one needs an explicit
  // destroy() per histogram and brings no gain at these sample rates.
  return hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records a latency given in nanoseconds, clamped into the trackable range. */
export function recordNs(histogram: Histogram, latencyNs: number): void {
  let us = Math.round(latencyNs / 1000);
  if (us < LOWEST_US) us = LOWEST_US;
  if (us > HIGHEST_US) us = HIGHEST_US;
  histogram.recordValue(us);
}

function usToMs(us: number): number {
  return Math.round(us) / 1000;
}

export function summarize(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) {
    return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  }
  return {
    count: histogram.totalCount,
    p50: usToMs(histogram.getValueAtPercentile(50)),
    p90: usToMs(histogram.getValueAtPercentile(90)),
    p99: usToMs(histogram.getValueAtPercentile(99)),
    p999: usToMs(histogram.getValueAtPercentile(99.9)),
    // The bucket's highest value, like the percentiles: a decoded histogram
    // no longer knows the exact maximum, so this keeps merged and single
    // histograms identical.
    max: usToMs(histogram.getValueAtPercentile(100)),
    mean: usToMs(histogram.mean),
  };
}

/** Encodes in the standard compressed HdrHistogram form (base64), readable by any HdrHistogram port. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/**
 * Adds every encoded histogram into a new one. HdrHistogram addition is
 * bucket-wise, so the result equals recording all samples into one histogram.
 */
export function mergeEncodedHistograms(encoded: readonly string[]): Histogram {
  const merged = createHistogram();
  for (const item of encoded) {
    merged.add(decodeHistogram(item));
  }
  return merged;
}
