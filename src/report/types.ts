import type { FaultResult } from '../faults/types.js';
import type { CapacityReport } from '../capacity/types.js';
import type { LatencySummary } from '../metrics/histogram.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { TransportName } from '../transports/types.js';
import type { TopologyResult } from './topology.js';
import type { ScenarioIdentity } from '../scenarios/identity.js';
import type { ThresholdOutcome } from './thresholds.js';

/** Bumped whenever a field is renamed or removed; adding fields keeps the version. */
export const REPORT_SCHEMA_VERSION = 1;

export type ResultStatus = 'completed' | 'failed' | 'interrupted';

/** A figure from repeated runs: the median, with the smallest and largest run. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Everything measured for one transport in one run (or the medians of several). */
export interface TransportResult {
  transport: TransportName;
  clientImplementation: string;
  status: ResultStatus;
  /** The reason the run failed or stopped early; absent when completed. */
  error?: { code: string; message: string };
  /** Phase reached: setup, connect, measure, drain, done. */
  phase: string;
  clients: {
    target: number;
    connected: number;
    failed: number;
    errors: Record<string, number>;
    /** Loopback source addresses the server saw the clients come from; more than one beyond --connections-per-address. */
    sourceAddresses?: number;
  };
  connectTimeMs: { p50: number; p99: number; max: number; allConnected: number };
  /** Publish-to-receive latency from the intended publish time, ms, over `latencyMs.count` deliveries. */
  latencyMs: LatencySummary;
  /** How late the server actually sent each message in the window, ms. */
  sendLagMs: LatencySummary;
  /** Latency of a single subscriber at a low rate before the main load: the loopback-and-runtime cost. */
  floor: { latencyP50Ms: number; samples: number } | null;
  messages: {
    /** Messages due inside the window, times subscribers connected. */
    expected: number;
    delivered: number;
    lost: number;
    duplicated: number;
    outOfOrder: number;
    /** Messages due inside the window: per subscriber on the broadcast stream, summed over every stream for topics and rooms. */
    windowMessages: number;
  };
  throughput: { deliveredPerSec: number; publishedPerSec: number };
  /** Bytes and requests per delivered message, headers and framing included. */
  wire: { clientBytesPerMessage: number | null; serverBytesPerMessage: number | null; requestsPerMessage: number | null };
  server: {
    rssBaseBytes: number | null;
    rssIdleBytes: number | null;
    rssPeakBytes: number | null;
    /** RSS growth per connection after a full GC, without V8's young generation (empty after GC). */
    memoryPerConnectionBytes: number | null;
    cpuPercent: number | null;
    /** Time the server's loop spends handing one message to every subscriber's socket, ms. */
    fanOutMs: { p50: number; p99: number; max: number } | null;
    rejected: number;
    /** Messages not sent to subscribers whose send buffer was above the limit. */
    backpressureDrops: number;
    /** Subscribers closed because their send buffer was above the limit. */
    backpressureCloses: number;
    /** Connections that accept() failed on, for example with EMFILE. */
    acceptErrors: number;
    /** Descriptors the server held after the ramp-up, and its limit (ulimit -n). */
    descriptors?: { open: number; limit: number };
    subscribersAtEnd: number | null;
    /** Exit reason of a server process that ended during the run, for example "killed by SIGKILL". */
    exit?: string;
  };
  generator: {
    rssPerClientBytes: number | null;
    rssPeakBytes: number | null;
    cpuPercent: number | null;
    eventLoopDelayP99Ms: number | null;
    eventLoopUtilization: number | null;
    saturated: boolean;
    saturationReasons: string[];
  };
  /** HdrHistogram of latencies in microseconds, compressed base64. */
  histogram: string;
  /** Reconnects, loss and server counters under injected faults; present only when a fault was injected. */
  faults?: FaultResult;
  durationMs: number;
  /** Present when the result is the median of several runs. */
  spread?: Record<string, Spread>;
  /** Present when the run used several instances, the Redis bus or a proxy. */
  topology?: TopologyResult;
}

export interface EnvironmentInfo {
  node: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  kernel: string;
}

export interface Report {
  schemaVersion: number;
  tool: { name: 'rtbench'; version: string };
  /** The command line that produced the report. */
  command: string[];
  startedAt: string;
  finishedAt: string;
  status: ResultStatus;
  environment: EnvironmentInfo;
  settings: RunSettings;
  /** Identity of the measured workload; `compare` rejects a baseline with another hash. */
  scenario: ScenarioIdentity;
  /** One per transport; with --repeat, the medians. */
  results: TransportResult[];
  /** Every single run, in the order they ran; present with --repeat. */
  runs?: TransportResult[];
  /** `rtbench capacity`: the largest load per transport and every step measured on the way. */
  capacity?: CapacityReport;
  /** Outcome of every --threshold, per transport; present when thresholds were given. */
  thresholds?: ThresholdOutcome[];
}
