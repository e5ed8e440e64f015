import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { fakeIo } from './helpers/fake-io.js';
import { waitFor } from './helpers/loopback.js';
import { exchange, statusOf } from './helpers/raw-http.js';

function subscribe(origin: string): string {
  return `GET /events HTTP/1.1\r\nHost: x\r\nOrigin: ${origin}\r\n\r\n`;
}

describe('rtbench serve --allowed-origins', () => {
  it('refuses subscriptions from other origins with 403', async () => {
    const io = fakeIo(tmpdir());
    const exit = main(['serve', 'sse', '--port', '0', '--rate', '0', '--allowed-origins', 'http://app.example,http://admin.example'], io);

    expect(await waitFor(() => io.out.includes('listening on'), 5000)).toBe(true);
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(io.out)?.[1]);

    expect(statusOf(await exchange(port, subscribe('http://evil.example')))).toBe(403);
    expect(statusOf(await exchange(port, subscribe('http://admin.example'), 300))).toBe(200);

    io.interrupt('SIGINT');
    expect(await exit).toBe(0);
  });
});
