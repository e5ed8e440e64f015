/**
 * Entry point of a reference server child process. rtbench forks one per
 * transport so that the server's memory and CPU, read from /proc, are the
 * server's alone. The options arrive as JSON in argv[2].
 */
import { emitToParent, serveParentRequests } from '../child/ipc.js';
import { reportUncaughtExceptions } from '../child/crash-report.js';
import { ignoreTerminalInterrupt } from '../child/ignore-terminal-signals.js';
import { collectGarbage } from '../metrics/heap.js';
import type { Schedule, SeqRange } from './schedule.js';
import { ReferenceServer, type ReferenceServerOptions } from './reference-server.js';

async function main(): Promise<void> {
  ignoreTerminalInterrupt();
  reportUncaughtExceptions();
  const options = JSON.parse(process.argv[2] ?? '{}') as ReferenceServerOptions;
  const server = await ReferenceServer.start(options);

  async function shutdown(): Promise<void> {
    await server.close();
    process.exit(0);
  }

  serveParentRequests(
    {
      publish: (params: { rate: number; count?: number }) => server.publisher.start(params.rate, params.count),
      'resume-publishing': (schedule: Schedule) => server.publisher.resume(schedule),
      'stop-publishing': () => server.publisher.stop(),
      'drop-connections': (params: { fraction: number }) => {
        // Read the clock first: clients may see the first sockets close before the last is destroyed.
        const atNs = String(process.hrtime.bigint());
        return { dropped: server.dropConnections(params.fraction), atNs };
      },
      'set-lag-window': (range: SeqRange) => server.publisher.setLagWindow(range),
      'lag-summary': () => server.publisher.lagSummary(),
      stats: (params: { gc?: boolean }) => {
        if (params.gc) collectGarbage();
        return server.stats();
      },
      shutdown,
    },
    () => void shutdown(),
  );
  emitToParent('ready', { url: server.url, port: server.port, pid: process.pid });
}

main().catch((error: Error & { code?: string; exitCode?: number }) => {
  emitToParent('failed', { code: error.code ?? 'ERR_SERVER', message: error.message, exitCode: error.exitCode });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
