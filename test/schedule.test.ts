import { describe, expect, it } from 'vitest';
import { dueNs, rangeSize, seqRangeForWindow, type Schedule } from '../src/server/schedule.js';

const schedule: Schedule = { startNs: '1000000000', firstSeq: 40, rate: 10 };

describe('schedule', () => {
  it('spaces due times by 1/rate seconds', () => {
    expect(dueNs(schedule, 40)).toBe(1_000_000_000n);
    expect(dueNs(schedule, 43)).toBe(1_300_000_000n);
  });

  it('selects the messages due inside the window', () => {
    const range = seqRangeForWindow(schedule, 5, 20);

    expect(range).toEqual({ first: 90, last: 289 });
    expect(rangeSize(range)).toBe(200);
  });

  it('counts one message per second at rate 1', () => {
    expect(rangeSize(seqRangeForWindow({ ...schedule, rate: 1 }, 5, 20))).toBe(20);
  });
});
