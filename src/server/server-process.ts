/**
 * Entry point of a reference server child process. rtbench forks one per
 * transport so that the server's memory and CPU, read from /proc, are the
 * server's alone. The options arrive as JSON in argv[2].
 */
import { emitToParent, serveParentRequests } from '../child/ipc.js';
import { reportUncaughtExceptions } from '../child/crash-report.js';
import { ignoreTerminalInterrupt } from '../child/ignore-terminal-signals.js';
import { RedisBus, type RedisBusOptions } from '../bus/redis-bus.js';
import { collectGarbage } from '../metrics/heap.js';
import type { Schedule, SeqRange } from './schedule.js';
import { ReferenceServer, type ReferenceServerOptions } from './reference-server.js';
import { ServerWorkload, type StartWorkloadRequest } from './workload-server.js';

/** The options of one server process: a reference server, and the Redis bus when instances share one. */
export interface ServerProcessOptions extends ReferenceServerOptions {
  bus?: RedisBusOptions;
}

async function main(): Promise<void> {
  ignoreTerminalInterrupt();
  reportUncaughtExceptions();
  const options = JSON.parse(process.argv[2] ?? '{}') as ServerProcessOptions;
  const server = await ReferenceServer.start(options);
  const bus = options.bus ? await attachBus(server, options.bus) : undefined;
  const workload = new ServerWorkload(server.streams);

  async function shutdown(): Promise<void> {
    bus?.close();
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
      'set-lag-window': (range: SeqRange) => {
        server.publisher.setLagWindow(range);
        bus?.setWindow(range);
      },
      'lag-summary': () => server.publisher.lagSummary(),
      'bus-summary': () => bus?.summary() ?? null,
      // Instances other than the one running a topic or room workload's schedule still measure their own fan-out.
      'set-stream-lag-window': (window: { startNs: string; endNs: string }) =>
        server.streams.setLagWindow({ startNs: BigInt(window.startNs), endNs: BigInt(window.endNs) }),
      'start-workload': (request: StartWorkloadRequest) => workload.start(request),
      'stop-workload': () => workload.stop(),
      'workload-lag-summary': () => workload.lagSummary(),
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

/** Joins the bus; closes the server again if that fails, so the process can report the error and exit. */
async function attachBus(server: ReferenceServer, options: RedisBusOptions): Promise<RedisBus> {
  try {
    return await RedisBus.attach(server.publisher, server.streams, options, (failure) => emitToParent('bus-failed', failure));
  } catch (error) {
    await server.close();
    throw error;
  }
}

main().catch((error: Error & { code?: string; exitCode?: number }) => {
  emitToParent('failed', { code: error.code ?? 'ERR_SERVER', message: error.message, exitCode: error.exitCode });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
