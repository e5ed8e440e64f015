/**
 * Entry point of the load-generator child process. It runs apart from the
 * reference server and from the rtbench CLI so that its memory and CPU,
 * read from /proc, are the generator's alone.
 */
import { emitToParent, serveParentRequests } from '../child/ipc.js';
import { reportUncaughtExceptions } from '../child/crash-report.js';
import { ignoreTerminalInterrupt } from '../child/ignore-terminal-signals.js';
import { collectGarbage, sampleHeap } from '../metrics/heap.js';
import type { SeqRange } from '../server/schedule.js';
import type { GeneratorWorkloadStart } from '../workloads/generator-workload.js';
import { LoadGenerator, type GeneratorConfig } from './load-generator.js';

/** Progress events during ramp-up are sent at most this often, ms. */
const PROGRESS_INTERVAL_MS = 200;

let generator = new LoadGenerator();

async function connect(config: GeneratorConfig): Promise<unknown> {
  let lastProgress = 0;
  return generator.connect(config, (connected, failed) => {
    const now = Date.now();
    if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    emitToParent('progress', { connected, failed, target: config.clients });
  });
}

function shutdown(): void {
  generator.closeAll();
  process.exit(0);
}

ignoreTerminalInterrupt();
reportUncaughtExceptions();
serveParentRequests(
  {
    connect,
    'set-window': (range: SeqRange) => generator.setWindow(range),
    'start-workload': (request: GeneratorWorkloadStart) => generator.startWorkload(request),
    'stop-workload': () => generator.stopWorkload(),
    'start-measuring': () => generator.startMeasuring(),
    'stop-measuring': () => generator.stopMeasuring(),
    collect: () => generator.collect(),
    'fault-stats': () => generator.faultStats(),
    'close-clients': () => {
      generator.closeAll();
      generator = new LoadGenerator();
    },
    gc: () => {
      collectGarbage();
      return { heap: sampleHeap() };
    },
    shutdown,
  },
  shutdown,
);
emitToParent('ready', { pid: process.pid });
