import type { TransportName } from '../transports/types.js';

/** Dimension that `rtbench capacity` steps: the client count, or the workload's message rate. */
export type CapacityDimension = 'clients' | 'rate';

/** The service level every step must meet to count as passing. */
export interface ServiceLevel {
  /** Largest latency p99 allowed, ms. */
  maxP99Ms: number;
  /** Lost messages allowed in one step. */
  maxLost: number;
  /** When false, a step whose load generator was saturated fails. */
  allowSaturatedGenerator: boolean;
}

/** Steps and bounds of the search. */
export interface SearchPlan {
  dimension: CapacityDimension;
  /** First load measured. */
  start: number;
  /** Each step multiplies the load by this until a step fails (or divides, when the first step fails). */
  factor: number;
  /** Bisection stops when (first failing − last passing) ≤ tolerance × last passing, and for clients at a gap of 1. */
  tolerance: number;
  /** Largest load tried: the machine's descriptor and port limits for clients. */
  upperBound: number;
  /** Smallest load tried: 1 client, or 0.01 messages per second. */
  lowerBound: number;
  /** Steps per transport at most. */
  maxSteps: number;
}

/** One measured load step: the point of the curve. */
export interface CapacityStep {
  load: number;
  passed: boolean;
  /** Reasons the step failed the service level; empty when it passed. */
  failures: string[];
  latencyP50Ms: number;
  latencyP99Ms: number;
  deliveredPerSec: number;
  lost: number;
  /** Server CPU over the window, percent of one core. */
  serverCpuPercent: number | null;
  serverRssPeakBytes: number | null;
  generatorSaturated: boolean;
}

export type SearchEnd = 'bisected' | 'upper-bound' | 'lower-bound' | 'max-steps' | 'interrupted';

export interface TransportCapacity {
  transport: TransportName;
  /** Largest load that met the service level; null when none did. */
  maximum: number | null;
  /** Smallest load that failed it; null when every step up to the upper bound passed. */
  firstFailure: number | null;
  /** Reason the search ended. */
  end: SearchEnd;
  /** Every step measured, sorted by load. */
  points: CapacityStep[];
}

/** The capacity field of a report; the HTML report draws `curves` as latency p99 against load. */
export interface CapacityReport {
  dimension: CapacityDimension;
  /** Unit of `load`: clients, or messages per second. */
  unit: string;
  serviceLevel: ServiceLevel;
  search: SearchPlan;
  /** One per transport searched, in the order they ran. */
  curves: TransportCapacity[];
}
