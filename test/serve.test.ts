import { createServer, type Server } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { fakeIo } from './helpers/fake-io.js';
import { waitFor } from './helpers/loopback.js';

describe('rtbench serve', () => {
  it('prints its URL and serves until interrupted', async () => {
    const io = fakeIo(process.cwd());
    const exit = main(['serve', 'sse', '--port', '0', '--rate', '0'], io);

    expect(await waitFor(() => io.out.includes('listening on'))).toBe(true);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out)?.[1];
    expect(url).toBeDefined();

    const response = await request(`${url}/nowhere`);
    expect(response.statusCode).toBe(404);
    await response.body.text();

    io.interrupt('SIGINT');
    expect(await exit).toBe(0);
  });

  it('rejects a port that is in use with the fix', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const io = fakeIo(process.cwd());

    try {
      const code = await main(['serve', 'websocket', '--port', String(port)], io);

      expect(code).toBe(1);
      expect(io.err).toBe(`rtbench: port ${port} on 127.0.0.1 is already in use: choose another with --port, or --port 0 for a free one\n`);
    } finally {
      blocker.close();
    }
  });

  it('rejects an unknown transport', async () => {
    const io = fakeIo(process.cwd());

    expect(await main(['serve', 'smoke-signals'], io)).toBe(2);
    expect(io.err).toBe('rtbench: unknown transport "smoke-signals": use one of long-polling, sse, websocket\n');
  });
});
