import type { FaultSettings } from '../faults/settings.js';
import type { BackpressurePolicy } from '../server/limits.js';
import type { TransportName } from '../transports/types.js';
import { DEFAULT_TOPOLOGY, type TopologySettings } from './topology.js';
import { DASHBOARD, type WorkloadSettings } from '../workloads/types.js';

/** Everything that defines one benchmark run. Units are in the names. */
export interface RunSettings extends TopologySettings {
  transports: TransportName[];
  clients: number;
  /**
   * Messages per second: on the broadcast stream (dashboard; burst between
   * bursts), to each client's topic (notifications), or from each sending
   * client (chat, collaboration).
   */
  rate: number;
  payloadBytes: number;
  warmupSec: number;
  durationSec: number;
  /** New connections per second during ramp-up. */
  rampRate: number;
  /** After the window ends, wait this long for late messages that were due inside it. */
  drainSec: number;
  connectTimeoutSec: number;
  /** SSE client implementation: `undici` (lean, default) or `eventsource` (browser-faithful). */
  sseClient: string;
  /** The generator counts as saturated above this event-loop delay p99, ms. */
  maxGeneratorLagMs: number;
  /** The generator counts as saturated above this CPU use, percent of one core. */
  maxGeneratorCpuPercent: number;
  /** The generator counts as saturated when its event loop is busy more than this share of the window, 0 to 1. */
  maxGeneratorUtilization: number;
  /** Each transport runs this many times, interleaved. */
  repeat: number;
  /** The reference server holds every message this long past its due time (calibration), ms. */
  injectDelayMs: number;
  /**
   * The reference server busy-waits this long per message and subscriber
   * before its fan-out, µs: an artificial cost that gives the server a
   * known capacity limit.
   */
  injectCostUs: number;
  /** Workload: the streams clients subscribe to and the clients that send; `dashboard` is one broadcast stream. */
  workload: WorkloadSettings;
  /** Measure the single-subscriber latency floor before the main load. */
  floor: boolean;
  heartbeatMs: number;
  holdMs: number;
  historySize: number;
  // The settings below are absent unless set, so that the scenario hash of
  // a run without them stays that of reports made before they existed.
  /** Faults injected into every transport: dropped connections, a server restart, slow clients. Absent: none. */
  faults?: FaultSettings;
  /** Bytes a subscriber may have waiting in the server's user-space send buffer before the backpressure policy applies. Absent: 1 MiB. */
  sendBufferLimitBytes?: number;
  /** Absent: drop. */
  backpressurePolicy?: BackpressurePolicy;
  /** Connections from one loopback source address before clients spread over 127.0.0.x. Absent: the ephemeral port range minus 1,000. */
  connectionsPerSourceAddress?: number;
}

export const DEFAULT_SETTINGS: RunSettings = {
  transports: ['long-polling', 'sse', 'websocket'],
  clients: 10_000,
  rate: 1,
  payloadBytes: 256,
  warmupSec: 5,
  durationSec: 20,
  rampRate: 5_000,
  drainSec: 2,
  connectTimeoutSec: 30,
  sseClient: 'undici',
  maxGeneratorLagMs: 50,
  maxGeneratorCpuPercent: 90,
  maxGeneratorUtilization: 0.75,
  repeat: 1,
  injectDelayMs: 0,
  injectCostUs: 0,
  workload: DASHBOARD,
  floor: true,
  heartbeatMs: 15_000,
  holdMs: 30_000,
  historySize: 4096,
  ...DEFAULT_TOPOLOGY,
};
