import type { TransportResult } from '../report/types.js';
import { isScaledOut, singleInstance } from '../scenarios/topology.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { TransportName } from '../transports/types.js';
import { runTransport, type RunHooks } from './transport-run.js';

/**
 * Runs one transport in the requested topology. A topology with several
 * instances, a bus or a proxy first gets the same load against one
 * instance with no bus and no proxy, unless the single-instance run is
 * off, so the result can state the latency the topology adds. Both runs share
 * every other setting, and they run back to back so both see the machine
 * in as similar a state as two runs in a row can.
 */
export async function runWithSingleInstance(transport: TransportName, settings: RunSettings, hooks: RunHooks = {}): Promise<TransportResult> {
  if (!isScaledOut(settings) || !settings.singleInstanceRun) return runTransport(transport, settings, hooks);

  const single = await runTransport(transport, singleInstance(settings), hooks);
  // An interrupted single-instance run ends the transport here, and its result records the interruption.
  if (hooks.signal?.aborted) return single;

  const result = await runTransport(transport, settings, hooks);
  attachSingleInstance(result, single);
  // NOTE: with --repeat, the aggregated result keeps the topology figures
  // (bus hop, single-instance run, added latency) of the last repeat only.
  return result;
}

/** Records the single-instance run's latency in `result.topology` and what the topology adds over it. */
export function attachSingleInstance(result: TransportResult, single: TransportResult): void {
  if (!result.topology) return;
  const floor = single.floor?.latencyP50Ms ?? null;
  result.topology.singleInstance = {
    status: single.status,
    latencyP50Ms: single.latencyMs.p50,
    latencyP99Ms: single.latencyMs.p99,
    floorP50Ms: floor,
    generatorSaturated: single.generator.saturated,
    result: single,
  };
  if (single.status !== 'completed' || result.latencyMs.count === 0) return;
  result.topology.addedLatencyMs = {
    p50: round(result.latencyMs.p50 - single.latencyMs.p50),
    p99: round(result.latencyMs.p99 - single.latencyMs.p99),
    floorP50: floor !== null && result.floor ? round(result.floor.latencyP50Ms - floor) : null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
