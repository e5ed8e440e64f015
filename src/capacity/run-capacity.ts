import { runTransport, type RunHooks } from '../driver/transport-run.js';
import { describeEnvironment } from '../report/environment.js';
import { REPORT_SCHEMA_VERSION, type Report, type TransportResult } from '../report/types.js';
import { TOOL_VERSION } from '../paths.js';
import { scenarioIdentity, type ScenarioSource } from '../scenarios/identity.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { TransportName } from '../transports/types.js';
import { searchCapacity } from './search.js';
import { capacityStep } from './service-level.js';
import type { CapacityStep, SearchPlan, ServiceLevel } from './types.js';

export interface CapacityOptions extends RunHooks {
  search: SearchPlan;
  serviceLevel: ServiceLevel;
  command?: string[];
  /** The scenario file behind the settings; default: a run built from options alone. */
  scenario?: ScenarioSource;
  /** Called after every step, with the step and the report so far. */
  onStep?: (transport: TransportName, step: CapacityStep, report: Report) => Promise<void> | void;
}

/**
 * Runs the capacity search for every transport of the settings, one after
 * the other. Each step is a full transport run (runTransport) at one load:
 * its own server and generator, ramp-up, warm-up, window and drain. The
 * report's `results` hold the run at each transport's maximum, and
 * `capacity` the whole curve.
 */
export async function runCapacity(settings: RunSettings, options: CapacityOptions): Promise<Report> {
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'rtbench', version: TOOL_VERSION },
    command: options.command ?? [],
    startedAt: new Date().toISOString(),
    finishedAt: '',
    status: 'completed',
    environment: describeEnvironment(),
    settings,
    scenario: scenarioIdentity(settings, options.scenario),
    results: [],
    capacity: {
      dimension: options.search.dimension,
      unit: options.search.dimension === 'clients' ? 'clients' : 'messages/s',
      serviceLevel: options.serviceLevel,
      search: options.search,
      curves: [],
    },
  };

  for (const transport of settings.transports) {
    if (options.signal?.aborted) break;
    await searchTransport(transport, settings, options, report);
  }
  report.finishedAt = new Date().toISOString();
  if (options.signal?.aborted) report.status = 'interrupted';
  return report;
}

async function searchTransport(transport: TransportName, settings: RunSettings, options: CapacityOptions, report: Report): Promise<void> {
  const runs = new Map<number, TransportResult>();

  const measure = async (load: number): Promise<CapacityStep | undefined> => {
    const result = await runTransport(transport, settingsAtLoad(settings, options.search, load), options);
    if (result.status === 'interrupted') return undefined;
    runs.set(load, result);
    const step = capacityStep(load, result, options.serviceLevel);
    await options.onStep?.(transport, step, report);
    return step;
  };

  const capacity = await searchCapacity(transport, options.search, measure);
  report.capacity?.curves.push(capacity);
  const atMaximum = capacity.maximum === null ? undefined : runs.get(capacity.maximum);
  if (atMaximum) report.results.push(atMaximum);
}

/** Returns the run settings of one step: the load on the searched dimension, one run, no latency floor. */
export function settingsAtLoad(settings: RunSettings, search: SearchPlan, load: number): RunSettings {
  const step: RunSettings = { ...settings, repeat: 1, floor: false };
  if (search.dimension === 'clients') step.clients = load;
  else step.rate = load;
  return step;
}
