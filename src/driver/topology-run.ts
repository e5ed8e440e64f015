import type { TransportResult } from '../report/types.js';
import { isScaledOut, singleInstance } from '../scenarios/topology.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { TransportName } from '../transports/types.js';
import { runTransport, type RunHooks } from './transport-run.js';

/**
 * Runs one transport in the requested topology. When that topology has
 * several instances, a bus or a proxy, and the baseline is on, first runs
 * the same load against one instance with no bus and no proxy, so the
 * result can state the latency the topology adds. Both runs share every
 * other setting, and the baseline runs first so both see the same machine
 * state as closely as two runs in a row can.
 */
export async function runTransportWithBaseline(transport: TransportName, settings: RunSettings, hooks: RunHooks = {}): Promise<TransportResult> {
  if (!isScaledOut(settings) || !settings.baseline) return runTransport(transport, settings, hooks);

  const baseline = await runTransport(transport, singleInstance(settings), hooks);
  // An interrupted baseline ends the transport here, and its result records the interruption.
  if (hooks.signal?.aborted) return baseline;

  const result = await runTransport(transport, settings, hooks);
  attachBaseline(result, baseline);
  // NOTE: with --repeat, the aggregated result keeps the topology figures
  // (bus hop, baseline, added latency) of the last repeat only.
  return result;
}

/** Records the baseline's latency in `result.topology` and what the topology adds over it. */
export function attachBaseline(result: TransportResult, baseline: TransportResult): void {
  if (!result.topology) return;
  const floor = baseline.floor?.latencyP50Ms ?? null;
  result.topology.baseline = {
    status: baseline.status,
    latencyP50Ms: baseline.latencyMs.p50,
    latencyP99Ms: baseline.latencyMs.p99,
    floorP50Ms: floor,
    generatorSaturated: baseline.generator.saturated,
  };
  if (baseline.status !== 'completed' || result.latencyMs.count === 0) return;
  result.topology.addedLatencyMs = {
    p50: round(result.latencyMs.p50 - baseline.latencyMs.p50),
    p99: round(result.latencyMs.p99 - baseline.latencyMs.p99),
    floorP50: floor !== null && result.floor ? round(result.floor.latencyP50Ms - floor) : null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
