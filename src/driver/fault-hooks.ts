import type { ManagedChild } from '../child/child-process.js';
import { emptyCounters, FaultRunner } from '../faults/fault-runner.js';
import { faultsInjected, NO_FAULTS } from '../faults/settings.js';
import type { GeneratorFaultStats } from '../faults/types.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { ServerStats } from '../server/reference-server.js';
import type { Schedule, SeqRange } from '../server/schedule.js';
import { serverOptionsFor, startServerChild } from './children.js';
import type { GeneratorConfig } from './load-generator.js';
import type { ServerGroup } from './server-group.js';
import type { Session } from './transport-run.js';

/** Generator settings for the injected faults: slow clients and the WebSocket resume protocol. */
export function faultGeneratorConfig(settings: RunSettings): Partial<GeneratorConfig> {
  const { slowClients, wsResume } = settings.faults ?? NO_FAULTS;
  return { slowClients: slowClients.fraction > 0 ? slowClients : undefined, wsResume };
}

/** Starts a fault runner for the window when the settings inject a fault; undefined otherwise. */
export function createFaultRunner(session: Session, schedule: Schedule, window: SeqRange): FaultRunner | undefined {
  const faults = session.settings.faults ?? NO_FAULTS;
  if (!faultsInjected(faults)) return undefined;
  const group = requireGroup(session);
  const port = Number(new URL(group.instanceUrls[0]).port);
  const runner = new FaultRunner({
    transport: session.transport,
    faults,
    signal: session.signal,
    currentServer: () => group.instances[0],
    replacementOptions: () => ({ ...serverOptionsFor(session.transport, session.settings), port }),
    startServer: async (options) => (await startServerChild(options)).child,
    adoptServer: (server) => group.adoptInstance(0, server),
    fail: (error) => session.childExit.abort(error),
  });
  runner.start(schedule, window);
  return runner;
}

/** Fills the result's `faults` object from the generator and the last server stats. */
export async function collectFaults(session: Session, generator: ManagedChild, serverStats: ServerStats | undefined): Promise<void> {
  if (!session.faults) return;
  const stats = await generator.request<GeneratorFaultStats>('fault-stats', {}, 5000);
  // Without stats the server has died, and its counters died with it.
  const counters = serverStats?.counters ?? emptyCounters();
  session.result.faults = session.faults.result(stats, counters, session.result.messages.windowMessages);
}

function requireGroup(session: Session): ServerGroup {
  if (!session.server) throw new Error('the reference server is not running');
  return session.server;
}
