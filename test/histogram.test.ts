import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeEncodedHistograms,
  recordNs,
  summarize,
} from '../src/metrics/histogram.js';

const MS = 1_000_000;

describe('histogram merge', () => {
  it('merges two encoded histograms exactly', () => {
    const fast = createHistogram();
    const slow = createHistogram();
    for (let i = 0; i < 1000; i++) recordNs(fast, 10 * MS);
    for (let i = 0; i < 10; i++) recordNs(slow, 2000 * MS);

    const merged = summarize(mergeEncodedHistograms([encodeHistogram(fast), encodeHistogram(slow)]));

    expect(merged.count).toBe(1010);
    // Three significant digits: 10 ms reads back as at most 10.01 ms.
    expect(merged.p99).toBeGreaterThanOrEqual(10);
    expect(merged.p99).toBeLessThan(10.01);
    expect(merged.max).toBeGreaterThanOrEqual(2000);
    expect(merged.max).toBeLessThan(2002);
  });

  it('gives the same percentiles as recording every sample into one histogram', () => {
    const single = createHistogram();
    const parts = [createHistogram(), createHistogram(), createHistogram()];
    for (let i = 0; i < 3000; i++) {
      const latencyNs = ((i * 7919) % 5000) * 1000 + 50_000;
      recordNs(single, latencyNs);
      recordNs(parts[i % 3], latencyNs);
    }

    const merged = summarize(mergeEncodedHistograms(parts.map(encodeHistogram)));

    expect(merged).toEqual(summarize(single));
  });
});

describe('histogram encoding', () => {
  it('round-trips through compressed base64', () => {
    const histogram = createHistogram();
    recordNs(histogram, 3 * MS);
    recordNs(histogram, 7 * MS);

    const decoded = decodeHistogram(encodeHistogram(histogram));

    expect(summarize(decoded)).toEqual(summarize(histogram));
  });

  it('summarizes an empty histogram as zeros', () => {
    expect(summarize(createHistogram())).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 });
  });
});
