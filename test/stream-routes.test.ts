import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../src/server/reference-server.js';
import { startServer } from './helpers/loopback.js';

let server: ReferenceServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function call(path: string, method: 'GET' | 'POST' = 'GET', body?: string): Promise<{ status: number; text: string }> {
  const response = await request(`${server!.url}${path}`, { method, body });
  return { status: response.statusCode, text: await response.body.text() };
}

describe('stream routes', () => {
  it.each([
    ['/events?room=a%20b', 'sse'],
    ['/poll?topic=x&room=y', 'long-polling'],
    ['/events?topic=', 'sse'],
  ] as const)('rejects the stream in %s', async (path, transport) => {
    server = await startServer(transport);

    const { status } = await call(path);

    expect(status).toBe(400);
    expect(server.counters.rejected).toBe(1);
  });

  it.each([
    ['GET', '/publish?room=a', undefined, 405, 'accepts POST only'],
    ['POST', '/publish', '{}', 400, 'needs ?room=NAME or ?topic=NAME'],
    ['POST', '/publish?room=a', 'not json', 400, 'the body is not JSON'],
    ['POST', '/publish?room=a', '{"due":12,"from":0,"data":"x"}', 400, '"due" must be a decimal string'],
    ['POST', '/publish?room=a', '{"due":"12","from":-1,"data":"x"}', 400, '"from" must be a client index'],
    ['POST', '/publish?room=a', '{"due":"12","from":0}', 400, '"data" must be a string'],
    ['POST', '/publish?room=a', `{"due":"12","from":0,"data":"${'x'.repeat(70_000)}"}`, 413, 'exceeds 65536 bytes'],
  ] as const)('answers %s %s with a reason', async (method, path, body, expectedStatus, reason) => {
    server = await startServer('sse');

    const { status, text } = await call(path, method, body);

    expect(status).toBe(expectedStatus);
    expect(text).toContain(reason);
    expect(server.counters.rejected).toBe(1);
  });

  it('numbers each room from zero', async () => {
    server = await startServer('long-polling');

    for (const room of ['a', 'b', 'a']) {
      expect((await call(`/publish?room=${room}`, 'POST', '{"due":"1","from":0,"data":"x"}')).status).toBe(204);
    }

    expect(server.streams.history('a').latestSeq()).toBe(1);
    expect(server.streams.history('b').latestSeq()).toBe(0);
    expect(server.publisher.history.latestSeq()).toBe(-1);
  });
});
