import { createHash } from 'node:crypto';
import type { RunSettings } from './settings.js';

/** Workload record of a report, so a later comparison can tell whether two runs measured the same workload. */
export interface ScenarioIdentity {
  /** The scenario's name; `dashboard` for a run without a scenario file. */
  name: string;
  /** sha256 of the workload settings in effect, command-line overrides included (see workloadHash). */
  hash: string;
  /** The scenario file's text. */
  content: string;
}

/**
 * The settings that decide what load the transports see. The others (the
 * transports run, repeats, drain time, saturation limits, the SSE client
 * implementation, the latency floor) change how rtbench measures, not what.
 */
export const WORKLOAD_SETTING_KEYS = [
  'workload',
  'clients',
  'rate',
  'payloadBytes',
  'warmupSec',
  'durationSec',
  'rampRate',
  'heartbeatMs',
  'holdMs',
  'historySize',
  'injectDelayMs',
  'injectCostUs',
] as const satisfies readonly (keyof RunSettings)[];

/** Hex sha256 of the workload settings as canonical JSON (keys sorted at every level). */
export function workloadHash(settings: RunSettings): string {
  const picked: Record<string, unknown> = {};
  for (const key of WORKLOAD_SETTING_KEYS) picked[key] = settings[key];
  return createHash('sha256').update(canonicalJson(picked)).digest('hex');
}

export function scenarioIdentity(name: string, content: string, settings: RunSettings): ScenarioIdentity {
  return { name, hash: workloadHash(settings), content };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
