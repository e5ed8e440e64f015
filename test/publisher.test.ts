import { describe, expect, it } from 'vitest';
import { Publisher } from '../src/server/publisher.js';

describe('Publisher above 1,000 messages per second', () => {
  it('lets a timer run before the schedule ends', async () => {
    const publisher = new Publisher({ payloadBytes: 16, historySize: 1000, injectDelayMs: 0 });
    let published = 0;
    publisher.onPublish(() => published++);

    publisher.start(2000, 400);
    const publishedWhenTimerRan = await new Promise<number>((resolve) => setTimeout(() => resolve(published), 0));
    await new Promise((resolve) => setTimeout(resolve, 400));
    publisher.stop();

    // 400 messages take 200 ms of schedule; a publisher that never yields would finish all of them first.
    expect(publishedWhenTimerRan).toBeLessThan(400);
    expect(published).toBe(400);
  });
});
