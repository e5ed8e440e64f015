import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, type DaemonGuard } from '../child/daemon.js';
import { findExecutable, findFreePort } from '../child/executables.js';
import { BusError, ToolNotFoundError } from '../errors.js';

export const REDIS_INSTALL_HINT = 'install it (apt-get install redis-server, or brew install redis) or pass --redis-url redis://127.0.0.1:6379';

const HOST = '127.0.0.1';

/** How long a fresh redis-server may take to respond to PING, ms. */
const READY_TIMEOUT_MS = 10_000;

/** Ports tried when another process takes the free port first. */
const PORT_ATTEMPTS = 3;

/** Returns the path of redis-server, or throws a ToolNotFoundError with install instructions. */
export function requireRedisServer(pathVariable: string | undefined = process.env.PATH): string {
  const path = findExecutable('redis-server', pathVariable);
  if (!path) throw new ToolNotFoundError(`redis-server not found on PATH: ${REDIS_INSTALL_HINT}`);
  return path;
}

/**
 * A redis-server that rtbench starts for itself: on a free 127.0.0.1 port,
 * with persistence off (no RDB snapshots, no append-only file), its working
 * folder in a temporary folder that is removed when it stops.
 */
export class PrivateRedis {
  private constructor(
    readonly daemon: Daemon,
    readonly port: number,
  ) {}

  static async start(guard: DaemonGuard, executable = requireRedisServer()): Promise<PrivateRedis> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      const folder = mkdtempSync(join(tmpdir(), 'rtbench-redis-'));
      const port = await findFreePort(HOST);
      const daemon = await Daemon.spawn({ label: 'redis-server', executable, args: redisArgs(port, folder), folder, guard });
      try {
        await waitForPong(port, daemon);
        return new PrivateRedis(daemon, port);
      } catch (error) {
        lastError = error as Error;
        // stop() also removes the folder.
        await daemon.stop('SIGKILL');
        if (!daemon.outputTail().includes('Address already in use')) break;
      }
    }
    throw lastError ?? new BusError('ERR_BUS_START', 'redis-server failed to start');
  }

  get url(): string {
    return `redis://${HOST}:${this.port}`;
  }

  get pid(): number {
    return this.daemon.pid;
  }

  async stop(): Promise<void> {
    await this.daemon.stop('SIGTERM');
  }
}

function redisArgs(port: number, folder: string): string[] {
  return [
    '--port', String(port),
    '--bind', HOST,
    '--save', '',
    '--appendonly', 'no',
    '--dir', folder,
    '--daemonize', 'no',
    // An empty logfile sends the log to stdout, which Daemon keeps for errors.
    '--logfile', '',
  ];
}

/** Resolves once redis-server responds to PING with +PONG; rejects if it exits first or the timeout passes. */
async function waitForPong(port: number, daemon: Daemon): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!daemon.isRunning()) {
      throw new BusError('ERR_BUS_START', `redis-server on ${HOST}:${port} ${daemon.exitDescription} before it was ready: ${daemon.outputTail()}`);
    }
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new BusError('ERR_BUS_START', `redis-server on ${HOST}:${port} did not respond to PING within ${READY_TIMEOUT_MS} ms: ${daemon.outputTail()}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
