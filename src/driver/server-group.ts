import { addCounters, emptyCounters } from '../faults/fault-runner.js';
import { randomUUID } from 'node:crypto';
import type { ManagedChild } from '../child/child-process.js';
import { DaemonGuard } from '../child/daemon.js';
import type { BusFailure, RedisBusOptions } from '../bus/redis-bus.js';
import { PrivateRedis } from '../bus/redis-server.js';
import type { LatencySummary } from '../metrics/histogram.js';
import { sampleProcess, type ProcessSample } from '../metrics/proc-stats.js';
import { NginxProxy } from '../proxy/nginx-process.js';
import type { ServerStats } from '../server/reference-server.js';
import type { StartWorkloadRequest } from '../server/workload-server.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { TransportName } from '../transports/types.js';
import { abortReason } from './abortable.js';
import { serverOptionsFor, startServerChild, type MemorySample } from './children.js';

/** The Redis a group's instances share. */
export interface GroupRedis {
  url: string;
  /** Set when rtbench started this redis-server itself. */
  private?: PrivateRedis;
}

/** Process samples of the proxy and the private Redis at the two edges of the measured window. */
export interface SideSamples {
  nginx: (ProcessSample | undefined)[];
  redis: (ProcessSample | undefined)[];
}

/**
 * The server side of one transport run: one or more reference-server
 * processes, the Redis bus between them, and nginx in front when asked.
 * With one instance, the in-process bus and no proxy it is exactly one
 * server process, as before scale-out existed.
 *
 * Requests to the publisher (publish, stop-publishing) go to instance 0,
 * which runs the one schedule. start-workload goes there too, and the
 * other instances only get its measured window. set-lag-window and stop-workload
 * go to every instance, and the lag summaries combine them. Stats and
 * process samples are summed over the instances.
 */
export class ServerGroup {
  readonly instances: ManagedChild[] = [];
  readonly instanceUrls: string[] = [];
  redis: GroupRedis | undefined;
  nginx: NginxProxy | undefined;
  readonly sideSamples: SideSamples = { nginx: [], redis: [] };
  /** Subscribers per instance at the last stats() call. */
  subscribersPerInstance: number[] = [];
  busFailure: BusFailure | undefined;
  private guard: DaemonGuard | undefined;
  private exitListeners: ((description: string) => void)[] = [];
  private firstExit: string | undefined;
  /** How the first instance that failed ended ("killed by SIGKILL"), without its name. */
  exitReason: string | undefined;
  private stopping = false;

  private constructor(
    readonly transport: TransportName,
    readonly settings: RunSettings,
  ) {}

  /**
   * Starts the group in order: Redis, the instances, nginx. If a step
   * fails or the signal aborts, stops whatever already started and throws.
   */
  static async start(transport: TransportName, settings: RunSettings, signal?: AbortSignal): Promise<ServerGroup> {
    const group = new ServerGroup(transport, settings);
    try {
      await group.startAll(signal);
      return group;
    } catch (error) {
      await group.stop();
      throw error;
    }
  }

  /** URLs the clients connect to: nginx when there is one, else every instance, for the generator to spread clients over. */
  get clientUrls(): string[] {
    return this.nginx ? [this.nginx.url] : [...this.instanceUrls];
  }

  /** Reason the group failed during the run (an instance or nginx exited), or undefined. */
  get exitDescription(): string | undefined {
    return this.firstExit;
  }

  /** Calls `listener` once when an instance or nginx exits before stop(). */
  onExit(listener: (description: string) => void): void {
    this.exitListeners.push(listener);
  }

  async request<Result>(method: string, params: unknown = {}, timeoutMs?: number): Promise<Result> {
    switch (method) {
      case 'set-lag-window':
      case 'stop-workload':
        await Promise.all(this.instances.map((child) => child.request(method, params, timeoutMs)));
        return undefined as Result;
      case 'start-workload':
        await this.startWorkload(params as StartWorkloadRequest, timeoutMs);
        return undefined as Result;
      case 'lag-summary':
      case 'workload-lag-summary':
        return (await this.lagSummary(method, timeoutMs)) as Result;
      default:
        return this.instances[0].request<Result>(method, params, timeoutMs);
    }
  }

  /** Starts a topic or room workload's schedule on instance 0 and gives the others its measured window. */
  private async startWorkload(request: StartWorkloadRequest, timeoutMs?: number): Promise<void> {
    const window = { startNs: request.windowStartNs, endNs: request.windowEndNs };
    const others = this.instances.slice(1).map((child) => child.request('set-stream-lag-window', window, timeoutMs));
    await Promise.all([this.instances[0].request('start-workload', request, timeoutMs), ...others]);
  }

  /**
   * The send lag of instance 0, which runs the schedule, and the fan-out
   * time of the instance with the highest fan-out p99: every client waits
   * for its own instance, so the slowest one bounds the delivery.
   */
  private async lagSummary(method: string, timeoutMs?: number): Promise<{ sendLag: LatencySummary; fanOut: LatencySummary }> {
    const all = await Promise.all(
      this.instances.map((child) => child.request<{ sendLag: LatencySummary; fanOut: LatencySummary }>(method, {}, timeoutMs)),
    );
    const slowest = all.reduce((worst, summary) => (summary.fanOut.p99 > worst.fanOut.p99 ? summary : worst));
    return { sendLag: all[0].sendLag, fanOut: slowest.fanOut };
  }

  /** Stats summed over the instances. */
  async stats(gc = false): Promise<ServerStats> {
    const all = await Promise.all(this.instances.map((child) => child.request<ServerStats>('stats', { gc })));
    this.subscribersPerInstance = all.map((stats) => stats.subscribers);
    return sumStats(all);
  }

  /**
   * Sums the instances' memory and CPU. Also samples nginx and the
   * private Redis: the first and last of these calls bound their CPU figures.
   */
  sample(): ProcessSample | undefined {
    this.sideSamples.nginx.push(this.nginx?.sample());
    if (this.redis?.private) this.sideSamples.redis.push(sampleProcess(this.redis.private.pid));
    return sumSamples(this.instances.map((child) => sampleProcess(child.pid)));
  }

  /** Memory of the instances after a forced garbage collection in each, summed. */
  async sampleAfterGc(): Promise<MemorySample> {
    const stats = await this.stats(true);
    return { process: sumSamples(this.instances.map((child) => sampleProcess(child.pid))), heap: stats.heap };
  }

  /** Stops nginx, the instances, Redis and the guard, in that order; safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.nginx?.stop();
    await Promise.all(this.instances.map((child) => child.stop()));
    await this.redis?.private?.stop();
    await this.guard?.stop();
  }

  private async startAll(signal: AbortSignal | undefined): Promise<void> {
    const { settings } = this;
    const needsGuard = (settings.bus === 'redis' && !settings.redisUrl) || settings.proxy !== 'none';
    if (needsGuard) this.guard = await DaemonGuard.start();
    throwIfAborted(signal);

    if (settings.bus === 'redis') {
      const privateRedis = settings.redisUrl ? undefined : await PrivateRedis.start(this.requireGuard());
      this.redis = { url: settings.redisUrl ?? privateRedis!.url, private: privateRedis };
    }
    throwIfAborted(signal);

    await this.startInstances();
    throwIfAborted(signal);

    if (settings.proxy !== 'none') {
      this.nginx = await NginxProxy.start({
        guard: this.requireGuard(),
        mode: settings.proxy === 'nginx' ? 'recommended' : 'defaults',
        transport: this.transport,
        upstreams: this.instanceUrls.map((url) => new URL(url).host),
        clients: settings.clients,
        timing: { holdMs: settings.holdMs, heartbeatMs: settings.heartbeatMs },
      });
      this.nginx.onExit((description) => this.exited(description));
    }
    throwIfAborted(signal);
  }

  /** Starts every instance at once; if one fails, the caller's stop() ends the others. */
  private async startInstances(): Promise<void> {
    const channel = `rtbench:${randomUUID()}:${this.transport}`;
    const count = this.settings.instances;
    const starts = Array.from({ length: count }, (_, index) => {
      const bus: RedisBusOptions | undefined = this.redis ? { url: this.redis.url, channel, publish: index === 0, instance: index } : undefined;
      const label = count > 1 ? `${this.transport} server ${index}` : `${this.transport} server`;
      return startServerChild({ ...serverOptionsFor(this.transport, this.settings), bus }, label);
    });

    const results = await Promise.allSettled(starts);
    for (const [index, result] of results.entries()) {
      if (result.status !== 'fulfilled') continue;
      const child = result.value.child;
      this.instances[index] = child;
      this.instanceUrls[index] = result.value.ready.url;
      child.on('bus-failed', (failure: BusFailure) => {
        this.busFailure ??= failure;
      });
      this.watchInstance(index, child);
    }
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Replaces an instance with a new process on the same port (a restart
   * fault). The old process was stopped on purpose, so its exit is not a
   * failure; the new one is watched like the first.
   */
  adoptInstance(index: number, child: ManagedChild): void {
    this.instances[index] = child;
    this.watchInstance(index, child);
  }

  private watchInstance(index: number, child: ManagedChild): void {
    child.process.once('exit', () => {
      if (child.stopRequested) return;
      this.exitReason ??= child.exitDescription ?? 'exited';
      const label = this.settings.instances > 1 ? `server ${index}` : 'server';
      this.exited(`${label} ${this.exitReason}`);
    });
  }

  private exited(description: string): void {
    if (this.stopping || this.firstExit) return;
    this.firstExit = description;
    for (const listener of this.exitListeners) listener(description);
  }

  private requireGuard(): DaemonGuard {
    if (!this.guard) throw new Error('daemon guard not started');
    return this.guard;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

function sumStats(all: ServerStats[]): ServerStats {
  const total: ServerStats = {
    subscribers: 0,
    bytesWritten: 0,
    connectionsAccepted: 0,
    openConnections: 0,
    heap: { heapUsedBytes: 0, youngGenerationBytes: 0 },
    counters: emptyCounters(),
    sourceAddresses: 0,
    externalBytes: 0,
  };
  for (const stats of all) {
    total.subscribers += stats.subscribers;
    total.bytesWritten += stats.bytesWritten;
    total.connectionsAccepted += stats.connectionsAccepted;
    total.openConnections += stats.openConnections;
    total.heap.heapUsedBytes += stats.heap.heapUsedBytes;
    total.heap.youngGenerationBytes += stats.heap.youngGenerationBytes;
    total.counters = addCounters(total.counters, stats.counters);
    // Client source addresses can repeat across instances, so the largest count is the lower bound.
    total.sourceAddresses = Math.max(total.sourceAddresses, stats.sourceAddresses);
    total.externalBytes += stats.externalBytes;
  }
  return total;
}

/**
 * Samples summed over processes. The peak is the sum of each process's
 * own peak, an upper bound, because the peaks need not coincide.
 */
function sumSamples(samples: (ProcessSample | undefined)[]): ProcessSample | undefined {
  if (samples.length === 0 || samples.some((sample) => sample === undefined)) return undefined;
  const present = samples as ProcessSample[];
  return {
    rssBytes: present.reduce((total, sample) => total + sample.rssBytes, 0),
    rssPeakBytes: present.reduce((total, sample) => total + sample.rssPeakBytes, 0),
    cpuNs: present.reduce((total, sample) => total + sample.cpuNs, 0),
    atNs: present[present.length - 1].atNs,
  };
}
