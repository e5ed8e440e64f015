import { createHash } from 'node:crypto';
import type { RunSettings } from './settings.js';
import { DEFAULT_TOPOLOGY } from './topology.js';

/** Identity of the workload a report measured. Two reports are comparable when their hashes match. */
export interface ScenarioIdentity {
  /** The scenario file's name, or `command-line` for a run built from options alone. */
  name: string;
  /** First 16 hex digits of the SHA-256 of the workload settings (see workloadSettings). */
  hash: string;
  /** The scenario file's text as read, or null for a run built from options alone. */
  content: string | null;
}

export interface ScenarioSource {
  name: string;
  content: string | null;
}

export const COMMAND_LINE_SCENARIO: ScenarioSource = { name: 'command-line', content: null };

/**
 * Settings that change how a run is measured or judged but not the load
 * itself: which transports run, how often, the latency-floor probe before the
 * load, and the saturation limits. Every other setting, including any
 * added later, defines the workload and enters the hash. A new setting that
 * does not change the load belongs in this list.
 */
const NOT_WORKLOAD: ReadonlySet<string> = new Set<keyof RunSettings>([
  'transports',
  'repeat',
  'floor',
  'maxGeneratorLagMs',
  'maxGeneratorCpuPercent',
  'maxGeneratorUtilization',
  'connectionsPerSourceAddress',
  // Where Redis runs and whether the single-instance comparison runs too
  // change how the topology is set up or reported, not the load.
  'redisUrl',
  'allowRemoteRedis',
  'singleInstanceRun',
]);

/**
 * Topology settings enter the hash only when they differ from one instance
 * with the in-process bus and no proxy, so a single-instance report keeps
 * the hash it had before these settings existed.
 */
function isDefaultTopology(key: string, value: unknown): boolean {
  return (key === 'instances' || key === 'bus' || key === 'proxy') && DEFAULT_TOPOLOGY[key] === value;
}

/** Selects the settings that define the workload, with keys sorted at every level so the hash ignores key order. */
export function workloadSettings(settings: RunSettings): Record<string, unknown> {
  const entries = Object.entries(settings).filter(([key, value]) => !NOT_WORKLOAD.has(key) && value !== undefined && !isDefaultTopology(key, value));
  return canonical(Object.fromEntries(entries)) as Record<string, unknown>;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const sorted = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => [key, canonical((value as Record<string, unknown>)[key])]);
  return Object.fromEntries(sorted);
}

/** Hashes the workload settings; equal workload settings give equal hashes on any machine. */
export function scenarioHash(settings: RunSettings): string {
  const json = JSON.stringify(workloadSettings(settings));
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

/** Builds the identity recorded in a report; `source` names the scenario file and carries its text. */
export function scenarioIdentity(settings: RunSettings, source: ScenarioSource = COMMAND_LINE_SCENARIO): ScenarioIdentity {
  return { name: source.name, hash: scenarioHash(settings), content: source.content };
}

/** Lists the workload settings that differ, e.g. `clients 1000 → 200`, for a mismatch message. */
export function describeWorkloadDifferences(baseline: RunSettings, current: RunSettings): string[] {
  const before = workloadSettings(baseline);
  const after = workloadSettings(current);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key} ${show(before[key])} → ${show(after[key])}`);
}

function show(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}
