import { redactCommand, redactSettings } from '../bus/redis-url.js';
import { TOOL_VERSION } from '../paths.js';
import { describeEnvironment } from '../report/environment.js';
import { REPORT_SCHEMA_VERSION, type Report, type TransportResult } from '../report/types.js';
import type { RunSettings } from '../scenarios/settings.js';
import { scenarioIdentity, type ScenarioSource } from '../scenarios/identity.js';
import { aggregateRuns } from './aggregate.js';
import { checkCapacity } from './limits.js';
import type { RunHooks } from './transport-run.js';
import { checkTopology } from './topology-checks.js';
import { runWithSingleInstance } from './topology-run.js';

export interface RunOptions extends RunHooks {
  /** The command line, recorded in the report. */
  command?: string[];
  /** The scenario file behind the settings; default: a run built from options alone. */
  scenario?: ScenarioSource;
  /** Called after every transport run with the report so far, so a partial report can be written. */
  onPartialReport?: (report: Report) => Promise<void> | void;
}

/**
 * Runs every transport of the settings, `repeat` times in interleaved order
 * (A B C A B C ...) so that drift of the machine hits all transports alike,
 * and returns the report. Stops early, with status `interrupted`, when the
 * signal aborts.
 */
export async function runBenchmark(settings: RunSettings, options: RunOptions = {}): Promise<Report> {
  checkCapacity(settings.clients, undefined, settings.connectionsPerSourceAddress);
  checkTopology(settings);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'rtbench', version: TOOL_VERSION },
    command: redactCommand(options.command ?? []),
    startedAt: new Date().toISOString(),
    finishedAt: '',
    status: 'completed',
    environment: describeEnvironment(),
    settings: redactSettings(settings),
    scenario: scenarioIdentity(settings, options.scenario),
    results: [],
  };
  const runs: TransportResult[] = [];

  for (let round = 0; round < settings.repeat && !options.signal?.aborted; round++) {
    for (const transport of settings.transports) {
      if (options.signal?.aborted) break;
      runs.push(await runWithSingleInstance(transport, settings, options));
      summarizeRuns(report, runs, settings);
      await options.onPartialReport?.(report);
    }
  }

  summarizeRuns(report, runs, settings);
  return report;
}

function summarizeRuns(report: Report, runs: TransportResult[], settings: RunSettings): void {
  report.results = settings.transports
    .map((transport) => runs.filter((run) => run.transport === transport))
    .filter((transportRuns) => transportRuns.length > 0)
    .map(aggregateRuns);
  if (settings.repeat > 1) report.runs = runs;
  report.finishedAt = new Date().toISOString();
  if (runs.some((run) => run.status === 'interrupted')) report.status = 'interrupted';
  else if (runs.some((run) => run.status === 'failed')) report.status = 'failed';
  else report.status = 'completed';
}
