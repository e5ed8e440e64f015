import type { ManagedChild } from '../child/child-process.js';
import { InterruptedError, RtbenchError } from '../errors.js';
import { readDescriptorUsage, sampleProcess } from '../metrics/proc-stats.js';
import type { Schedule } from '../server/schedule.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { TransportResult } from '../report/types.js';
import { findTransport } from '../transports/registry.js';
import type { TransportName } from '../transports/types.js';
import type { ServerStats } from '../server/reference-server.js';
import { planInputFor, startLoad } from '../workloads/start-load.js';
import { raceAbort, sleep } from './abortable.js';
import { memoryPerConnection, sampleAfterGc, startGeneratorChild } from './children.js';
import { collectFaults, createFaultRunner, faultGeneratorConfig } from './fault-hooks.js';
import { sourceAddressesFor } from './source-addresses.js';
import type { FaultRunner } from '../faults/fault-runner.js';
import type { ConnectResult, DeliveryResult, GeneratorConfig, MeasureResult } from './load-generator.js';
import { emptyResult, fillConnect, fillDelivery, fillMeasure, type WindowSnapshot } from './result-builder.js';
import { ServerGroup } from './server-group.js';
import { finishTopology } from './topology-result.js';

export interface ProgressEvent {
  transport: TransportName;
  phase: 'start' | 'floor' | 'connect' | 'warmup' | 'measure' | 'drain' | 'done';
  connected?: number;
  failed?: number;
  target?: number;
  /** Seconds left in the current phase, when known. */
  secondsLeft?: number;
}

export interface RunHooks {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Extra generator settings; tests use it to inject a busy loop. */
  generatorOverrides?: Partial<GeneratorConfig>;
}

/** Messages and rate of the latency-floor probe: 40 messages at 20 per second, the first 5 discarded. */
const FLOOR = { rate: 20, messages: 40, discard: 5 };

export interface Session {
  transport: TransportName;
  settings: RunSettings;
  hooks: RunHooks;
  signal: AbortSignal;
  /** Aborts the run when a child process exits unexpectedly. */
  childExit: AbortController;
  result: TransportResult;
  /** The reference-server instances, with their bus and proxy. */
  server?: ServerGroup;
  generator?: ManagedChild;
  /** URLs the clients connect to; the generator spreads them over these. */
  baseUrls: string[];
  /** Due time of the window's first message, once measuring started. */
  windowStartNs?: bigint;
  /** Present when the run injects faults (--drop, --restart-at, --slow-clients). */
  faults?: FaultRunner;
}

/**
 * Runs one transport: starts its reference server and a load generator in
 * their own processes, measures the latency floor, ramps up the clients,
 * publishes on a fixed schedule, measures over the window and tears both
 * processes down. Never throws for a failure during the run: the result
 * contains what was measured, with `status` and `error`.
 */
export async function runTransport(transport: TransportName, settings: RunSettings, hooks: RunHooks = {}): Promise<TransportResult> {
  const started = Date.now();
  const childExit = new AbortController();
  const signals = hooks.signal ? [hooks.signal, childExit.signal] : [childExit.signal];
  const session: Session = {
    transport,
    settings,
    hooks,
    signal: AbortSignal.any(signals),
    childExit,
    result: emptyResult(transport, implementationFor(transport, settings), settings.clients),
    baseUrls: [],
  };

  try {
    await startChildren(session);
    if (settings.floor) await measureFloor(session);
    await connectClients(session);
    await measureWindow(session);
    session.result.status = 'completed';
    session.result.phase = 'done';
  } catch (error) {
    await recordFailure(session, error);
  } finally {
    await session.faults?.stop();
    await session.generator?.stop();
    if (session.server) await finishTopology(session.server, session.result);
    await session.server?.stop();
    session.result.durationMs = Date.now() - started;
    hooks.onProgress?.({ transport, phase: 'done' });
  }
  return session.result;
}

function implementationFor(transport: TransportName, settings: RunSettings): string {
  const implementations = findTransport(transport).clientImplementations;
  return transport === 'sse' && implementations.includes(settings.sseClient) ? settings.sseClient : implementations[0];
}

async function startChildren(session: Session): Promise<void> {
  const { childExit } = session;
  session.result.phase = 'setup';
  session.hooks.onProgress?.({ transport: session.transport, phase: 'start' });

  const server = await ServerGroup.start(session.transport, session.settings, session.signal);
  session.server = server;
  session.baseUrls = server.clientUrls;
  server.onExit((description) => childExit.abort(new RtbenchError('ERR_SERVER_EXITED', `${session.transport} ${description} during the run`)));

  const generator = await raceAbort(startGeneratorChild(session.transport), session.signal);
  session.generator = generator;
  generator.process.once('exit', () =>
    childExit.abort(new RtbenchError('ERR_GENERATOR_EXITED', `${session.transport} load generator ${generator.exitDescription} during the run`)),
  );
  generator.on('progress', (data: { connected: number; failed: number; target: number }) => {
    // Kept so that a run interrupted during ramp-up reports how far it got.
    session.result.clients.connected = data.connected;
    session.result.clients.failed = data.failed;
    session.hooks.onProgress?.({ transport: session.transport, phase: 'connect', ...data });
  });
}

function generatorConfig(session: Session, clients: number): GeneratorConfig {
  return {
    transport: session.transport,
    implementation: session.result.clientImplementation,
    baseUrl: session.baseUrls[0],
    baseUrls: session.baseUrls,
    clients,
    rampRate: session.settings.rampRate,
    connectTimeoutMs: session.settings.connectTimeoutSec * 1000,
    localAddresses: sourceAddressesFor(session.settings, clients),
    ...faultGeneratorConfig(session.settings),
    workload: planInputFor(session.settings),
    ...session.hooks.generatorOverrides,
  };
}

/** Measures one subscriber at a low rate: the latency of loopback and runtime without fan-out. */
async function measureFloor(session: Session): Promise<void> {
  const { server, generator, signal } = requireChildren(session);
  session.result.phase = 'floor';
  session.hooks.onProgress?.({ transport: session.transport, phase: 'floor' });

  const config = { ...generatorConfig(session, 1), busyLoop: undefined, slowClients: undefined, workload: undefined };
  const connect = await raceAbort(generator.request<ConnectResult>('connect', config, config.connectTimeoutMs + 5000), signal);
  if (connect.connected !== 1) return;

  const schedule = await server.request<Schedule>('publish', { rate: FLOOR.rate, count: FLOOR.messages });
  await generator.request('set-window', { first: schedule.firstSeq + FLOOR.discard, last: schedule.firstSeq + FLOOR.messages - 1 });
  await sleep((FLOOR.messages / FLOOR.rate) * 1000 + 500, signal);

  const delivery = await generator.request<DeliveryResult>('collect');
  await generator.request('close-clients');
  session.result.floor = { latencyP50Ms: delivery.latencyMs.p50, samples: delivery.latencyMs.count };
}

async function connectClients(session: Session): Promise<void> {
  const { server, generator, signal } = requireChildren(session);
  const { result, settings } = session;

  const serverBase = await server.sampleAfterGc();
  const generatorBase = await sampleAfterGc(generator, 'gc');
  result.server.rssBaseBytes = serverBase.process?.rssBytes ?? null;

  result.phase = 'connect';
  const config = generatorConfig(session, settings.clients);
  const connect = await raceAbort(
    generator.request<ConnectResult>('connect', config, config.connectTimeoutMs + (settings.clients / settings.rampRate) * 1000 + 10_000),
    signal,
  );
  fillConnect(result, connect);

  const serverIdle = await server.sampleAfterGc();
  const generatorIdle = await sampleAfterGc(generator, 'gc');
  result.server.rssIdleBytes = serverIdle.process?.rssBytes ?? null;
  result.server.memoryPerConnectionBytes = memoryPerConnection(serverBase, serverIdle, connect.connected);
  result.generator.rssPerClientBytes = memoryPerConnection(generatorBase, generatorIdle, connect.connected);
  result.clients.sourceAddresses = (await server.stats()).sourceAddresses;
  result.server.descriptors = readDescriptorUsage(server.instances[0].pid);
  if (connect.connected === 0) {
    throw new RtbenchError('ERR_NO_CLIENTS', `no ${session.transport} client connected (errors: ${JSON.stringify(connect.errors)})`);
  }
}

async function measureWindow(session: Session): Promise<void> {
  const { generator, signal } = requireChildren(session);
  const { result, settings, transport } = session;

  const load = await startLoad({ request: (method, params, timeoutMs) => serverRequest(session, method, params, timeoutMs) }, generator, settings);
  result.messages.windowMessages = load.windowMessages;
  if (load.broadcast) session.faults = createFaultRunner(session, load.broadcast.schedule, load.broadcast.window);

  result.phase = 'warmup';
  session.hooks.onProgress?.({ transport, phase: 'warmup', secondsLeft: settings.warmupSec });
  const windowStartNs = load.windowStartNs;
  await sleep(Number(windowStartNs - process.hrtime.bigint()) / 1e6, signal);

  result.phase = 'measure';
  await generator.request('start-measuring');
  const before = await windowSnapshot(session);
  session.windowStartNs = windowStartNs;
  await countdown(session, 'measure', settings.durationSec);

  const measure = await generator.request<MeasureResult>('stop-measuring');
  const after = await windowSnapshot(session);
  const wire = fillMeasure(result, measure, before, after, settings);

  result.phase = 'drain';
  await countdown(session, 'drain', settings.drainSec);
  await load.stop();
  const delivery = await generator.request<DeliveryResult>('collect');
  const { sendLag, fanOut } = await load.lagSummary();
  fillDelivery(result, delivery, sendLag, settings.durationSec, wire);
  result.server.fanOutMs = { p50: fanOut.p50, p99: fanOut.p99, max: fanOut.max };
  const endStats = await serverRequest<ServerStats>(session, 'stats');
  result.server.subscribersAtEnd = endStats.subscribers;
  await collectFaults(session, generator, endStats);
}

/** Sends a request to the server group, waiting for any fault (a restart) in progress to finish first. */
export function serverRequest<Result>(session: Session, method: string, params: unknown = {}, timeoutMs?: number): Promise<Result> {
  const group = requireChildren(session).server;
  if (session.faults) return session.faults.withServer(() => group.request<Result>(method, params, timeoutMs));
  return group.request<Result>(method, params, timeoutMs);
}

async function windowSnapshot(session: Session): Promise<WindowSnapshot> {
  const { server, generator } = requireChildren(session);
  const take = async (): Promise<WindowSnapshot> => {
    const stats = await server.stats();
    return { server: server.sample(), generator: sampleProcess(generator.pid), serverStats: stats };
  };
  const snapshot = await (session.faults?.withServer(take) ?? take());
  return session.faults?.adjust(snapshot) ?? snapshot;
}

/** Sleeps through a phase in one-second steps, reporting the seconds left. */
async function countdown(session: Session, phase: 'measure' | 'drain', seconds: number): Promise<void> {
  const endMs = Date.now() + seconds * 1000;
  for (let left = endMs - Date.now(); left > 0; left = endMs - Date.now()) {
    session.hooks.onProgress?.({ transport: session.transport, phase, secondsLeft: Math.ceil(left / 1000) });
    await sleep(Math.min(1000, left), session.signal);
  }
}

function requireChildren(session: Session): { server: ServerGroup; generator: ManagedChild; signal: AbortSignal } {
  if (!session.server || !session.generator) throw new RtbenchError('ERR_NOT_STARTED', 'server or generator not started');
  return { server: session.server, generator: session.generator, signal: session.signal };
}

/**
 * Marks the result failed or interrupted and keeps what was measured: the
 * deliveries so far, counted against the messages that fell due before the
 * stop, so a partial report never shows phantom losses.
 */
async function recordFailure(session: Session, error: unknown): Promise<void> {
  const { result } = session;
  const interrupted = error instanceof InterruptedError || session.hooks.signal?.aborted === true;
  result.status = interrupted ? 'interrupted' : 'failed';
  const { code, message } = error as { code?: string; message?: string };
  result.error = { code: code ?? 'ERR_RUN', message: message ?? String(error) };
  if (session.server?.exitReason) result.server.exit = session.server.exitReason;

  await session.faults?.stop();
  await session.server?.request('stop-publishing', {}, 2000).catch(() => undefined);
  await session.server?.request('stop-workload', {}, 2000).catch(() => undefined);
  const generator = session.generator;
  if (!generator?.isRunning() || session.windowStartNs === undefined) return;
  try {
    const delivery = await generator.request<DeliveryResult>('collect', {}, 5000);
    const elapsedSec = Math.max(0, Number(process.hrtime.bigint() - session.windowStartNs) / 1e9);
    const measuredSec = Math.min(session.settings.durationSec, elapsedSec);
    result.messages.windowMessages = Math.min(result.messages.windowMessages, Math.floor(measuredSec * session.settings.rate));
    fillDelivery(result, delivery, null, measuredSec, null);
    const stats = session.server && !session.server.exitDescription ? await session.server.request<ServerStats>('stats', {}, 2000).catch(() => undefined) : undefined;
    await collectFaults(session, generator, stats);
  } catch {
    // The generator died too: the result keeps the figures measured before.
  }
}
