import type { LatencySummary } from '../metrics/histogram.js';
import type { BusKind, ProxyKind } from '../scenarios/topology.js';
import type { TransportResult } from './types.js';

/** A process next to the instances (Redis, nginx): its memory and CPU over the measured window. */
export interface SideProcessFigures {
  /** RSS at the end of the window, bytes; master and workers summed for nginx. */
  rssBytes: number | null;
  /** CPU over the window, percent of one core. */
  cpuPercent: number | null;
}

/** Figures of the single-instance run (no bus, no proxy) that a scaled-out result is compared with. */
export interface SingleInstanceFigures {
  status: string;
  latencyP50Ms: number;
  latencyP99Ms: number;
  floorP50Ms: number | null;
  /** The load generator was saturated in the single-instance run, so its latency measures the generator too. */
  generatorSaturated: boolean;
  /** Everything the single-instance run measured, for a side-by-side comparison. */
  result: TransportResult;
}

/** Layout of the server side of one transport run, and its cost. */
export interface TopologyResult {
  instances: number;
  bus: BusKind;
  proxy: ProxyKind;
  /** Subscribers on each instance at the end of the run. */
  subscribersPerInstance: number[];
  /** Present with the Redis bus. */
  redis?: SideProcessFigures & {
    /** The URL used, password hidden. */
    url: string;
    /** rtbench started this redis-server for the run. */
    private: boolean;
    /** Bus hop over the window, from the publisher's send to an instance's receipt, ms, all instances merged. */
    hopMs: LatencySummary;
    /** Messages the publishing instance handed to Redis and Redis acknowledged (whole run, floor included). */
    published: number;
    /** Publishes Redis rejected or never acknowledged. */
    publishFailed: number;
    /** Acknowledged messages that some instance never received, summed over instances. */
    missedByInstances: number;
    /** The first lost bus connection, if any. */
    failure?: string;
  };
  /** Present with a proxy. */
  nginx?: SideProcessFigures & {
    workers: number;
    workerConnections: number;
    /** Lines in nginx's error log (warn level and above), for example "worker_connections are not enough". */
    errorLogLines: number;
    lastErrorLogLine?: string;
  };
  /** Present when the single-instance run ran. */
  singleInstance?: SingleInstanceFigures;
  /** This result minus the single-instance run, ms: what the instances, the bus and the proxy add. */
  addedLatencyMs?: { p50: number; p99: number; floorP50: number | null };
}
