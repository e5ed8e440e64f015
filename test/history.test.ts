import { describe, expect, it } from 'vitest';
import { MessageHistory } from '../src/server/history.js';

function filled(capacity: number, count: number): MessageHistory {
  const history = new MessageHistory(capacity);
  for (let seq = 0; seq < count; seq++) history.push({ seq, json: `{"seq":${seq}}` });
  return history;
}

describe('MessageHistory', () => {
  it('returns every message after the cursor', () => {
    const replay = filled(8, 5).since(2);

    expect(replay.messages.map((message) => message.seq)).toEqual([3, 4]);
    expect(replay.missed).toBe(0);
  });

  it('returns nothing for a cursor at the newest message', () => {
    expect(filled(8, 5).since(4)).toEqual({ messages: [], missed: 0 });
  });

  it('counts messages evicted before a stale cursor as missed', () => {
    const history = filled(4, 10);

    const replay = history.since(2);

    expect(history.oldestSeq()).toBe(6);
    expect(replay.missed).toBe(3);
    expect(replay.messages.map((message) => message.seq)).toEqual([6, 7, 8, 9]);
  });

  it('replays everything from cursor -1 when nothing was evicted', () => {
    expect(filled(8, 3).since(-1).messages).toHaveLength(3);
  });
});

describe('MessageHistory with a hole in the sequence', () => {
  it('replays by sequence number, not by position', () => {
    const history = new MessageHistory(16);
    for (const seq of [0, 1, 2, 3, 5, 6, 7]) history.push({ seq, json: '{}' });

    expect(history.since(5).messages.map((message) => message.seq)).toEqual([6, 7]);
    expect(history.since(3).messages.map((message) => message.seq)).toEqual([5, 6, 7]);
  });

  it('grows from few slots and keeps order', () => {
    const history = new MessageHistory(64, 2);
    for (let seq = 0; seq < 40; seq++) history.push({ seq, json: `{"seq":${seq}}` });

    const replay = history.since(29);

    expect(replay.messages.map((message) => message.seq)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expect(history.oldestSeq()).toBe(0);
    expect(replay.missed).toBe(0);
  });

  it('grows no further than its capacity', () => {
    const history = new MessageHistory(5, 2);
    for (let seq = 0; seq < 12; seq++) history.push({ seq, json: `{"seq":${seq}}` });

    const replay = history.since(3);

    expect(history.oldestSeq()).toBe(7);
    expect(replay.missed).toBe(3);
    expect(replay.messages.map((message) => message.seq)).toEqual([7, 8, 9, 10, 11]);
  });
});
