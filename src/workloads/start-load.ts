import type { ManagedChild } from '../child/child-process.js';
import type { LatencySummary } from '../metrics/histogram.js';
import type { RunSettings } from '../scenarios/settings.js';
import { rangeSize, seqRangeForWindow, type Schedule, type SeqRange } from '../server/schedule.js';
import type { StartWorkloadRequest } from '../server/workload-server.js';
import type { GeneratorWorkloadStart } from './generator-workload.js';
import { usesStreams } from './plan.js';
import type { PlanInput } from './types.js';

/**
 * How far ahead of now a topic or room schedule starts, ns: time for both
 * children to receive their start request before the first message is due.
 */
const START_LEAD_NS = 200_000_000n;

export interface LagSummary {
  sendLag: LatencySummary;
  fanOut: LatencySummary;
}

/** The server side as startLoad uses it: one process, or a group of instances that routes the requests. */
export type ServerRequester = Pick<ManagedChild, 'request'>;

/** The load of one transport run, once started. */
export interface StartedLoad {
  /** Messages due in the window on the broadcast stream; 0 for topics and rooms, whose generator counts them. */
  windowMessages: number;
  /** Due time of the window's first message, absolute ns of process.hrtime.bigint(). */
  windowStartNs: bigint;
  /** Stops publishing and sending. */
  stop(): Promise<void>;
  /** How late the server sent the window's messages, and how long each fan-out took. */
  lagSummary(): Promise<LagSummary>;
  /** The broadcast schedule and its window; undefined for topics and rooms. */
  broadcast?: { schedule: Schedule; window: SeqRange };
}

/** Returns the workload's plan input, or undefined for the broadcast (dashboard) workload. */
export function planInputFor(settings: RunSettings): PlanInput | undefined {
  if (!usesStreams(settings.workload)) return undefined;
  return { workload: settings.workload, clients: settings.clients, rate: settings.rate, payloadBytes: settings.payloadBytes };
}

/**
 * Starts publishing for the measured run and sends the generator the
 * window: a range of sequence numbers on the broadcast stream, or a range
 * of due times for topics and rooms. For rooms the generator also starts
 * its senders.
 */
export async function startLoad(server: ServerRequester, generator: ManagedChild, settings: RunSettings): Promise<StartedLoad> {
  const input = planInputFor(settings);
  return input ? startStreamLoad(server, generator, settings, input) : startBroadcast(server, generator, settings);
}

async function startBroadcast(server: ServerRequester, generator: ManagedChild, settings: RunSettings): Promise<StartedLoad> {
  const schedule = await server.request<Schedule>('publish', { rate: settings.rate });
  const window = seqRangeForWindow(schedule, settings.warmupSec, settings.durationSec);
  await generator.request('set-window', window);
  await server.request('set-lag-window', window);
  return {
    windowMessages: rangeSize(window),
    windowStartNs: BigInt(schedule.startNs) + BigInt(Math.round(settings.warmupSec * 1e9)),
    stop: async () => {
      await server.request('stop-publishing');
    },
    lagSummary: () => server.request<LagSummary>('lag-summary'),
    broadcast: { schedule, window },
  };
}

async function startStreamLoad(server: ServerRequester, generator: ManagedChild, settings: RunSettings, input: PlanInput): Promise<StartedLoad> {
  const startNs = process.hrtime.bigint() + START_LEAD_NS;
  const windowStartNs = startNs + BigInt(Math.round(settings.warmupSec * 1e9));
  const windowEndNs = startNs + BigInt(Math.round((settings.warmupSec + settings.durationSec) * 1e9));
  const times: GeneratorWorkloadStart = { startNs: String(startNs), windowStartNs: String(windowStartNs), windowEndNs: String(windowEndNs) };

  const serverRequest: StartWorkloadRequest = { input, ...times };
  await server.request('start-workload', serverRequest);
  await generator.request('start-workload', times);
  return {
    windowMessages: 0,
    windowStartNs,
    stop: async () => {
      await generator.request('stop-workload');
      await server.request('stop-workload');
    },
    lagSummary: () => server.request<LagSummary>('workload-lag-summary'),
  };
}
