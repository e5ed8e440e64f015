import { describe, expect, it } from 'vitest';
import { DeliveryStats, SequenceTracker } from '../src/metrics/delivery.js';

describe('SequenceTracker', () => {
  it('accepts consecutive numbers as new', () => {
    const tracker = new SequenceTracker();
    expect([0, 1, 2].map((seq) => tracker.observe(seq))).toEqual(['new', 'new', 'new']);
  });

  it('tells a late arrival after a gap from a duplicate', () => {
    const tracker = new SequenceTracker();
    tracker.observe(0);
    tracker.observe(3);

    expect(tracker.observe(1)).toBe('late');
    expect(tracker.observe(1)).toBe('duplicate');
    expect(tracker.observe(3)).toBe('duplicate');
    expect(tracker.observe(2)).toBe('late');
  });
});

describe('DeliveryStats', () => {
  it('counts only messages inside the window', () => {
    const stats = new DeliveryStats();
    stats.window = { first: 10, last: 19 };

    stats.record(9, 'new', 1000, '0');
    stats.record(10, 'new', 1000, '0');
    stats.record(19, 'new', 1000, '0');
    stats.record(20, 'new', 1000, '0');

    expect(stats.delivered).toBe(2);
    expect(stats.received).toBe(4);
    expect(stats.latency.totalCount).toBe(2);
  });

  it('counts a late arrival as delivered and out of order', () => {
    const stats = new DeliveryStats();
    stats.window = { first: 0, last: 9 };

    stats.record(5, 'late', 1000, '0');
    stats.record(5, 'duplicate', 1000, '0');

    expect(stats.delivered).toBe(1);
    expect(stats.outOfOrder).toBe(1);
    expect(stats.duplicated).toBe(1);
  });

  it('counts topic messages by due time', () => {
    const stats = new DeliveryStats();
    stats.dueWindow = { startNs: 1_000n, endNs: 2_000n };

    stats.record(0, 'new', 1000, '999');
    stats.record(1, 'new', 1000, '1000');
    stats.record(2, 'new', 1000, '1999');
    stats.record(3, 'new', 1000, '2000');

    expect(stats.received).toBe(4);
    expect(stats.delivered).toBe(2);
  });
});
