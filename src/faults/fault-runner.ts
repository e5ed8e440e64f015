import type { ManagedChild } from '../child/child-process.js';
import { RtbenchError } from '../errors.js';
import { sampleProcess } from '../metrics/proc-stats.js';
import type { WindowSnapshot } from '../driver/result-builder.js';
import type { ReferenceServerOptions, ServerStats } from '../server/reference-server.js';
import type { Schedule, SeqRange } from '../server/schedule.js';
import type { ServerCounters, TransportName } from '../transports/types.js';
import { buildFaultResult, type RecordedFault } from './fault-result.js';
import type { FaultSettings } from './settings.js';
import type { FaultResult, GeneratorFaultStats } from './types.js';

/** The run of one transport, as the fault runner uses it. */
export interface FaultHost {
  transport: TransportName;
  faults: FaultSettings;
  /** Aborts when the run stops, for whatever reason. */
  signal: AbortSignal;
  /** The reference server the run talks to now. */
  currentServer(): ManagedChild;
  /** Options for a replacement server: those of the first, on its port. */
  replacementOptions(): ReferenceServerOptions;
  startServer(options: ReferenceServerOptions): Promise<ManagedChild>;
  /** Makes `server` the current one and watches it for an unexpected exit. */
  adoptServer(server: ManagedChild): void;
  /** Ends the run with this error. */
  fail(error: Error): void;
}

/** Tries to bind the old port again for this long while the kernel releases it, ms. */
const REBIND_TIMEOUT_MS = 5000;
const REBIND_RETRY_MS = 100;

/**
 * Injects the faults of a run at their times (`--drop`, `--restart-at`)
 * and records when they struck. Requests to the server pass through
 * `withServer`, one at a time, so none of them reaches a server that is
 * being replaced.
 */
export class FaultRunner {
  private readonly recorded: RecordedFault[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private schedule: Schedule | undefined;
  private window: SeqRange | undefined;
  /** Figures of servers that were restarted away, added to every later snapshot. */
  private readonly retired = { cpuNs: 0, bytesWritten: 0, rssPeakBytes: 0, counters: emptyCounters() };

  constructor(private readonly host: FaultHost) {}

  /** Schedules the faults relative to the start of publishing. */
  start(schedule: Schedule, window: SeqRange): void {
    this.schedule = schedule;
    this.window = window;
    const { drop, restartAtSec } = this.host.faults;
    if (drop) this.at(drop.atSec, () => this.drop(drop.fraction));
    if (restartAtSec !== null) this.at(restartAtSec, () => this.restart());
  }

  /** Runs `action` against the current server once every fault before it has finished. */
  withServer<T>(action: (server: ManagedChild) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => action(this.host.currentServer()));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Cancels the faults not yet due and waits for one in progress. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.queue;
  }

  /**
   * Adds the CPU time, bytes written and peak RSS of servers restarted
   * away, so that figures over the window span every server process.
   */
  adjust(snapshot: WindowSnapshot): WindowSnapshot {
    if (this.retired.cpuNs === 0 && this.retired.bytesWritten === 0) return snapshot;
    const server = snapshot.server && {
      ...snapshot.server,
      cpuNs: snapshot.server.cpuNs + this.retired.cpuNs,
      rssPeakBytes: Math.max(snapshot.server.rssPeakBytes, this.retired.rssPeakBytes),
    };
    const serverStats = {
      ...snapshot.serverStats,
      bytesWritten: snapshot.serverStats.bytesWritten + this.retired.bytesWritten,
      counters: addCounters(snapshot.serverStats.counters, this.retired.counters),
    };
    return { ...snapshot, server, serverStats };
  }

  /** Builds the report's `faults` object from the generator's counts and those of every server process of the run. */
  result(stats: GeneratorFaultStats, counters: ServerCounters, windowMessages: number): FaultResult {
    return buildFaultResult({
      faults: this.host.faults,
      recorded: this.recorded,
      scheduleStartNs: BigInt(this.schedule?.startNs ?? process.hrtime.bigint()),
      stats,
      counters: addCounters(counters, this.retired.counters),
      windowMessages,
    });
  }

  private at(seconds: number, action: () => Promise<void>): void {
    const startNs = BigInt(this.schedule?.startNs ?? process.hrtime.bigint());
    const dueNs = startNs + BigInt(Math.round(seconds * 1e9));
    const delayMs = Math.max(0, Number(dueNs - process.hrtime.bigint()) / 1e6);
    const timer = setTimeout(() => {
      this.withServer(action).catch((error: Error) => this.host.fail(error));
    }, delayMs);
    this.timers.push(timer);
  }

  private async drop(fraction: number): Promise<void> {
    const reply = await this.host.currentServer().request<{ dropped: number; atNs: string }>('drop-connections', { fraction });
    this.recorded.push({ kind: 'drop', atNs: BigInt(reply.atNs), connectionsClosed: reply.dropped });
  }

  /**
   * Stops the server process and starts a new one on the same port, which
   * continues the publishing schedule from the message due now.
   */
  private async restart(): Promise<void> {
    const old = this.host.currentServer();
    const stats = await old.request<ServerStats>('stats', {}, 5000).catch(() => undefined);
    const sample = sampleProcess(old.pid);
    const atNs = process.hrtime.bigint();
    await old.stop();

    // NOTE: the CPU the old server used between this sample and its exit is not counted.
    this.retired.cpuNs += sample?.cpuNs ?? 0;
    this.retired.rssPeakBytes = Math.max(this.retired.rssPeakBytes, sample?.rssPeakBytes ?? 0);
    this.retired.bytesWritten += stats?.bytesWritten ?? 0;
    if (stats) this.retired.counters = addCounters(this.retired.counters, stats.counters);

    const server = await this.startOnSamePort();
    const readyNs = process.hrtime.bigint();
    this.host.adoptServer(server);
    if (this.host.signal.aborted) return;

    if (this.schedule) await server.request('resume-publishing', this.schedule);
    // NOTE: the send lag of the report then covers only the messages the new server sent.
    if (this.window) await server.request('set-lag-window', this.window);
    this.recorded.push({
      kind: 'restart',
      atNs,
      connectionsClosed: stats?.openConnections ?? null,
      downtimeMs: Math.round(Number(readyNs - atNs) / 1000) / 1000,
    });
  }

  /** Starts the replacement server, retrying while the kernel still has the old port after the old process exited. */
  private async startOnSamePort(): Promise<ManagedChild> {
    const options = this.host.replacementOptions();
    const deadline = Date.now() + REBIND_TIMEOUT_MS;
    for (;;) {
      try {
        return await this.host.startServer(options);
      } catch (error) {
        const inUse = error instanceof RtbenchError && error.code === 'ERR_PORT_IN_USE';
        if (!inUse || Date.now() > deadline || this.host.signal.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, REBIND_RETRY_MS));
      }
    }
  }
}

export function emptyCounters(): ServerCounters {
  return { rejected: 0, pollsAnswered: 0, deadPeersClosed: 0, rejections: {}, backpressureDrops: 0, backpressureCloses: 0, acceptErrors: 0 };
}

/** Adds two sets of server counters. */
export function addCounters(a: ServerCounters, b: ServerCounters): ServerCounters {
  const rejections = { ...a.rejections };
  for (const [reason, count] of Object.entries(b.rejections)) rejections[reason] = (rejections[reason] ?? 0) + count;
  return {
    rejected: a.rejected + b.rejected,
    pollsAnswered: a.pollsAnswered + b.pollsAnswered,
    deadPeersClosed: a.deadPeersClosed + b.deadPeersClosed,
    rejections,
    backpressureDrops: a.backpressureDrops + b.backpressureDrops,
    backpressureCloses: a.backpressureCloses + b.backpressureCloses,
    acceptErrors: a.acceptErrors + b.acceptErrors,
  };
}
