import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { createHistogram, encodeHistogram, recordNs, summarize, type LatencySummary } from '../metrics/histogram.js';
import { DeliveryStats } from '../metrics/delivery.js';
import { ReconnectTracker } from '../faults/reconnect-tracker.js';
import { isSlowClient, SlowReaders, type SlowReaderSettings } from '../faults/slow-readers.js';
import type { GeneratorFaultStats } from '../faults/types.js';
import type { SeqRange } from '../server/schedule.js';
import { findTransport } from '../transports/registry.js';
import type { TransportName } from '../transports/types.js';
import { GeneratorWorkload, type GeneratorWorkloadStart } from '../workloads/generator-workload.js';
import { usesStreams } from '../workloads/plan.js';
import type { PlanInput } from '../workloads/types.js';
import { Subscriber, type SubscriberOwner } from './subscriber.js';

export interface GeneratorConfig {
  transport: TransportName;
  /** Client implementation; the transport's default when undefined. */
  implementation?: string;
  baseUrl: string;
  /** Several servers to spread the clients over, round-robin; `baseUrl` alone when undefined or empty. */
  baseUrls?: string[];
  clients: number;
  /** New connections per second during ramp-up. */
  rampRate: number;
  /** Clients not connected this long after the ramp started count as failed, ms. */
  connectTimeoutMs: number;
  /** Local source addresses to spread connections over, round-robin. */
  localAddresses?: string[];
  /** Clients that pause their reads; their deliveries are counted apart from the others. */
  slowClients?: SlowReaderSettings;
  /** WebSocket clients send a resume request after a reconnect. */
  wsResume?: boolean;
  /** Burn CPU `busyMs` of every `everyMs` (tests the saturation guard). */
  busyLoop?: { busyMs: number; everyMs: number };
  /** A topic or room workload: which stream each client subscribes to and who sends; the broadcast stream when undefined. */
  workload?: PlanInput;
}

export interface ConnectResult {
  target: number;
  connected: number;
  failed: number;
  /** Failures and later connection errors by error code. */
  errors: Record<string, number>;
  connectTimeMs: LatencySummary;
  /** From the first connection attempt until the last client connected, ms. */
  allConnectedMs: number;
}

export interface MeasureResult {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Share of time the event loop was busy, 0 to 1. */
  eventLoopUtilization: number;
  bytesReceived: number;
  requestsSent: number;
}

export interface DeliveryResult {
  window: SeqRange | undefined;
  subscribers: number;
  delivered: number;
  duplicated: number;
  outOfOrder: number;
  received: number;
  latencyMs: LatencySummary;
  histogram: string;
  errors: Record<string, number>;
  /** Topic and room workloads: deliveries owed to the connected clients by messages due in the window. */
  expected?: number;
  /** Topic and room workloads: messages due in the window, over every stream. */
  windowMessages?: number;
}

/** Ramp-up tick, ms: connections start in small batches this often. */
const RAMP_TICK_MS = 10;

/**
 * Sampling interval of the event-loop delay monitor, ms. Node's histogram
 * records whole timer intervals, so an idle loop reads about this value
 * (measured on Node 20: p50 10.1 ms at resolution 10); it is subtracted.
 */
const LOOP_DELAY_RESOLUTION_MS = 10;

/**
 * The load generator: ramps up simulated subscribers at a bounded rate,
 * counts who connected and who failed and why, and measures delivery and its
 * own event loop over the window the orchestrator sets.
 */
export class LoadGenerator implements SubscriberOwner {
  /** Deliveries to the clients that read at full speed: every figure of the report except the slow-client rows. */
  readonly delivery = new DeliveryStats();
  readonly slowDelivery = new DeliveryStats();
  readonly reconnects = new ReconnectTracker();
  private subscribers: Subscriber[] = [];
  private readonly connectTimes = createHistogram();
  private readonly errors = new Map<string, number>();
  private connected = 0;
  private connectedSlow = 0;
  private failed = 0;
  private slowReaders: SlowReaders | undefined;
  private rampStartNs = 0n;
  private lastOpenNs = 0n;
  private onSettled: (() => void) | undefined;
  private loopDelay: IntervalHistogram | undefined;
  private loopUtilizationStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  private bytesAtStart = 0;
  private requestsAtStart = 0;
  private busyTimer: NodeJS.Timeout | undefined;
  private workload: GeneratorWorkload | undefined;

  async connect(config: GeneratorConfig, onProgress: (connected: number, failed: number) => void): Promise<ConnectResult> {
    const transport = findTransport(config.transport);
    this.startBusyLoop(config.busyLoop);
    this.subscribers = [];
    const slowFraction = config.slowClients?.fraction ?? 0;
    const baseUrls = config.baseUrls && config.baseUrls.length > 0 ? config.baseUrls : [config.baseUrl];
    this.workload = config.workload && usesStreams(config.workload.workload)
      ? new GeneratorWorkload(config.workload, config.baseUrl, (error) => this.countError(error))
      : undefined;
    for (let i = 0; i < config.clients; i++) {
      const slow = slowFraction > 0 && isSlowClient(i, slowFraction);
      const subscriber = new Subscriber(this, slow ? this.slowDelivery : this.delivery, i, slow);
      const localAddresses = config.localAddresses ?? [];
      subscriber.client = transport.createClient({
        baseUrl: baseUrls[i % baseUrls.length],
        events: subscriber,
        implementation: config.implementation,
        localAddress: localAddresses.length > 0 ? localAddresses[i % localAddresses.length] : undefined,
        resume: config.wsResume,
        stream: this.workload?.subscriptionOf(i),
      });
      this.subscribers.push(subscriber);
    }

    this.rampStartNs = process.hrtime.bigint();
    const settled = new Promise<void>((resolve) => {
      this.onSettled = resolve;
    });
    await this.ramp(config, onProgress);
    const timedOut = await Promise.race([
      settled.then(() => false),
      sleep(config.connectTimeoutMs).then(() => true),
    ]);
    if (timedOut) this.failStragglers();
    this.startSlowReaders(config.slowClients);

    return {
      target: config.clients,
      connected: this.connected,
      failed: this.failed,
      errors: Object.fromEntries(this.errors),
      connectTimeMs: summarize(this.connectTimes),
      allConnectedMs: this.connected > 0 ? Number(this.lastOpenNs - this.rampStartNs) / 1e6 : 0,
    };
  }

  setWindow(range: SeqRange): void {
    this.delivery.window = range;
    this.slowDelivery.window = range;
  }

  /** Counts deliveries by due time in the window and starts the senders of a topic or room workload. */
  startWorkload(request: GeneratorWorkloadStart): void {
    if (!this.workload) throw new Error('start-workload needs a topic or room workload in the connect config');
    this.delivery.dueWindow = { startNs: BigInt(request.windowStartNs), endNs: BigInt(request.windowEndNs) };
    this.workload.start(request, this.subscribers);
  }

  stopWorkload(): void {
    this.workload?.stop();
  }

  startMeasuring(): void {
    this.loopDelay?.disable();
    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    this.loopDelay.enable();
    this.loopUtilizationStart = performance.eventLoopUtilization();
    this.bytesAtStart = this.totalBytes();
    this.requestsAtStart = this.totalRequests();
  }

  stopMeasuring(): MeasureResult {
    const delay = this.loopDelay;
    delay?.disable();
    const utilization = performance.eventLoopUtilization(this.loopUtilizationStart);
    return {
      eventLoopDelayP99Ms: delay && delay.count > 0 ? loopDelayMs(delay.percentile(99)) : 0,
      eventLoopDelayMaxMs: delay && delay.count > 0 ? loopDelayMs(delay.max) : 0,
      eventLoopUtilization: utilization.utilization,
      bytesReceived: this.totalBytes() - this.bytesAtStart,
      requestsSent: this.totalRequests() - this.requestsAtStart,
    };
  }

  collect(): DeliveryResult {
    const counts = this.workload?.counts(this.subscribers);
    return {
      expected: counts?.expected,
      windowMessages: counts?.windowMessages,
      window: this.delivery.window,
      subscribers: this.connected - this.connectedSlow,
      delivered: this.delivery.delivered,
      duplicated: this.delivery.duplicated,
      outOfOrder: this.delivery.outOfOrder,
      received: this.delivery.received,
      latencyMs: summarize(this.delivery.latency),
      histogram: encodeHistogram(this.delivery.latency),
      errors: Object.fromEntries(this.errors),
    };
  }

  /** Reconnects, the loss across them inside the window (of the clients that are not slow), and the deliveries of the slow clients. */
  faultStats(): GeneratorFaultStats {
    let lostAcrossFaults = 0;
    const window = this.delivery.window;
    if (window) {
      for (const subscriber of this.subscribers) {
        if (!subscriber.slow) lostAcrossFaults += subscriber.lostAcrossFaults(window);
      }
    }
    const slowClients = this.subscribers.filter((subscriber) => subscriber.slow).length;
    return {
      reconnect: this.reconnects.stats(),
      lostAcrossFaults,
      slowClients:
        slowClients === 0
          ? null
          : {
              clients: slowClients,
              connected: this.connectedSlow,
              delivered: this.slowDelivery.delivered,
              duplicated: this.slowDelivery.duplicated,
              latencyMs: summarize(this.slowDelivery.latency),
            },
    };
  }

  closeAll(): void {
    if (this.busyTimer) clearInterval(this.busyTimer);
    this.slowReaders?.stop();
    this.workload?.close();
    for (const subscriber of this.subscribers) subscriber.client.close();
  }

  subscriberOpened(subscriber: Subscriber, connectNs: number): void {
    this.connected++;
    if (subscriber.slow) this.connectedSlow++;
    this.lastOpenNs = process.hrtime.bigint();
    recordNs(this.connectTimes, connectNs);
    this.checkSettled();
  }

  subscriberFailed(subscriber: Subscriber, error: Error): void {
    this.failed++;
    this.countError(error);
    subscriber.client.close();
    this.checkSettled();
  }

  subscriberError(error: Error): void {
    this.countError(error);
  }

  subscriberDisconnected(nowNs: bigint): void {
    this.reconnects.disconnected(nowNs);
  }

  subscriberReconnected(downNs: number, nowNs: bigint): void {
    this.reconnects.reconnected(downNs, nowNs);
  }

  /** Starts the pause cycles once the ramp-up is over, so that connect times stay those of normal clients. */
  private startSlowReaders(settings: SlowReaderSettings | undefined): void {
    if (!settings || settings.fraction <= 0) return;
    this.slowReaders = new SlowReaders(settings);
    this.slowReaders.start(this.subscribers.filter((subscriber) => subscriber.slow).map((subscriber) => subscriber.client));
  }

  private async ramp(config: GeneratorConfig, onProgress: (connected: number, failed: number) => void): Promise<void> {
    const perTick = Math.max(1, Math.round((config.rampRate * RAMP_TICK_MS) / 1000));
    let next = 0;
    while (next < this.subscribers.length) {
      const tickStart = performance.now();
      const end = Math.min(this.subscribers.length, next + perTick);
      for (; next < end; next++) this.subscribers[next].connect();
      onProgress(this.connected, this.failed);
      await sleep(Math.max(0, RAMP_TICK_MS - (performance.now() - tickStart)));
    }
  }

  private failStragglers(): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.opened || subscriber.failed) continue;
      subscriber.onError(Object.assign(new Error('not connected before the connect timeout'), { code: 'ETIMEDOUT' }));
    }
  }

  private checkSettled(): void {
    if (this.connected + this.failed >= this.subscribers.length) this.onSettled?.();
  }

  private countError(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code ?? error.name ?? 'Error';
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  private totalBytes(): number {
    let total = 0;
    for (const subscriber of this.subscribers) total += subscriber.client.bytesReceived();
    return total;
  }

  private totalRequests(): number {
    let total = 0;
    for (const subscriber of this.subscribers) total += subscriber.client.requestsSent();
    return total;
  }

  private startBusyLoop(busyLoop: GeneratorConfig['busyLoop']): void {
    if (!busyLoop) return;
    this.busyTimer = setInterval(() => {
      const until = performance.now() + busyLoop.busyMs;
      while (performance.now() < until) {
        // Burn CPU on purpose: this simulates a saturated generator.
      }
    }, busyLoop.everyMs);
  }
}

function loopDelayMs(intervalNs: number): number {
  return Math.max(0, intervalNs / 1e6 - LOOP_DELAY_RESOLUTION_MS);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
