import { ManagedChild } from '../child/child-process.js';
import { GENERATOR_ENTRY, SERVER_ENTRY } from '../paths.js';
import { DEFAULT_SERVER_SETTINGS, type ReferenceServerOptions, type ServerStats } from '../server/reference-server.js';
import type { RunSettings } from '../scenarios/settings.js';
import { sampleProcess, type ProcessSample } from '../metrics/proc-stats.js';
import type { TransportName } from '../transports/types.js';

export interface ServerReady {
  url: string;
  port: number;
  pid: number;
}

/** Reference-server options for one transport of a run. */
export function serverOptionsFor(transport: TransportName, settings: RunSettings): ReferenceServerOptions {
  return {
    ...DEFAULT_SERVER_SETTINGS,
    transport,
    payloadBytes: settings.payloadBytes,
    historySize: settings.historySize,
    heartbeatMs: settings.heartbeatMs,
    holdMs: settings.holdMs,
    injectDelayMs: settings.injectDelayMs,
    injectCostUs: settings.injectCostUs,
  };
}

export async function startServerChild(options: ReferenceServerOptions): Promise<{ child: ManagedChild; ready: ServerReady }> {
  return ManagedChild.start<ServerReady>(SERVER_ENTRY, [JSON.stringify(options)], {
    label: `${options.transport} server`,
  });
}

export async function startGeneratorChild(transport: TransportName): Promise<ManagedChild> {
  const { child } = await ManagedChild.start(GENERATOR_ENTRY, [], { label: `${transport} load generator` });
  return child;
}

/** Memory of a child after a forced garbage collection, from /proc. */
export async function sampleAfterGc(child: ManagedChild, method: 'stats' | 'gc'): Promise<{ sample: ProcessSample | undefined; stats: unknown }> {
  const stats = await child.request(method, { gc: true });
  return { sample: sampleProcess(child.pid), stats };
}

export async function serverStats(child: ManagedChild, gc = false): Promise<ServerStats> {
  return child.request<ServerStats>('stats', { gc });
}
