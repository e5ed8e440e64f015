import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_SERVICE_LEVEL } from '../../capacity/service-level.js';
import { runCapacity } from '../../capacity/run-capacity.js';
import { describeServiceLevel, formatLoadWithUnit, renderCapacityCurves, renderCapacitySummary } from '../../capacity/table.js';
import type { CapacityDimension, CapacityStep, SearchPlan, ServiceLevel } from '../../capacity/types.js';
import { DESCRIPTOR_RESERVE, readMachineLimits } from '../../driver/limits.js';
import { InterruptedError, InvalidOptionError } from '../../errors.js';
import { formatMs } from '../../report/format.js';
import { defaultReportPath, writeReport } from '../../report/write.js';
import type { Report } from '../../report/types.js';
import { resolveScenarioSettings } from '../../scenarios/resolve.js';
import type { RunSettings } from '../../scenarios/settings.js';
import type { TransportName } from '../../transports/types.js';
import { ExitCode, EXIT_CODE_HELP, type ExitCodeValue } from '../exit-codes.js';
import { progressEnabled, type CliIo } from '../io.js';
import { integerInRange, numberInRange, oneOf } from '../option-parsers.js';
import { ProgressLine } from '../progress.js';
import { runCommand, toSettings, type RunFlags } from './run.js';

interface CapacityFlags extends RunFlags {
  dimension: CapacityDimension;
  start?: number;
  max?: number;
  factor: number;
  tolerance: number;
  maxSteps: number;
  maxP99: number;
  maxLost: number;
  allowSaturatedGenerator: boolean;
}

/**
 * Run options that make no sense for a search: each step is one run,
 * without the latency floor, and the gates judge a run, not a curve.
 * `rtbench report FILE --html PAGE` draws the curve of a capacity report.
 */
const RUN_ONLY_OPTIONS = new Set([
  '--repeat',
  '--strict',
  '--no-floor',
  '--threshold',
  '--baseline',
  '--max-regression',
  '--allow-scenario-change',
  '--junit',
  '--markdown',
  '--html',
]);

/** First client count of a clients search when --start is not given. */
const DEFAULT_START_CLIENTS = 500;

/** Largest rate a rate search tries when --max is not given: the upper bound of --rate. */
const MAX_RATE = 100_000;

export function capacityCommand(io: CliIo, argv: readonly string[], setExitCode: (code: ExitCodeValue) => void): Command {
  const command = new Command('capacity')
    .description('find, per transport, the largest client count or message rate that still meets a service level')
    .argument('[scenario]', 'scenario file (YAML) or the name of a bundled one; options given here override its fields')
    .addOption(new Option('--dimension <dimension>', 'what to step: clients or rate').argParser(oneOf(['clients', 'rate'])).default('clients'))
    .addOption(new Option('--start <load>', `first load: clients (default ${DEFAULT_START_CLIENTS}) or messages per second (default: the scenario's rate)`).argParser(numberInRange(0.01, 1_000_000)))
    .addOption(new Option('--max <load>', 'largest load to try (default: the descriptor and port limits for clients, 100000 messages/s for rate)').argParser(numberInRange(0.01, 1_000_000)))
    .addOption(new Option('--factor <factor>', 'multiply the load by this each step until a step fails').argParser(numberInRange(1.1, 100)).default(2))
    .addOption(new Option('--tolerance <fraction>', 'stop bisecting when the gap between the last passing and the first failing load is within this share of the passing one').argParser(numberInRange(0.001, 1)).default(0.1))
    .addOption(new Option('--max-steps <count>', 'measured steps per transport at most').argParser(integerInRange(1, 100)).default(12))
    .addOption(new Option('--max-p99 <ms>', 'service level: largest latency p99, in ms').argParser(numberInRange(0.1, 3_600_000)).default(DEFAULT_SERVICE_LEVEL.maxP99Ms))
    .addOption(new Option('--max-lost <count>', 'service level: lost messages allowed per step').argParser(integerInRange(0, 1_000_000_000)).default(DEFAULT_SERVICE_LEVEL.maxLost))
    .addOption(new Option('--allow-saturated-generator', 'service level: let a step pass even when the load generator was saturated').default(false));

  // The run command's options set the same settings here; a new run option is a capacity option too.
  for (const option of runCommand(io, argv, () => undefined).options) {
    if (!RUN_ONLY_OPTIONS.has(option.long ?? '')) command.addOption(option);
  }

  return command.addHelpText('after', `\nEach step is a full run of one transport (ramp-up, warm-up, window, drain), so a search takes\nabout steps × (warm-up + duration + drain + ramp-up) per transport; --warmup and --duration shorten it.\n\n${EXIT_CODE_HELP}`)
    .action(async (scenario: string | undefined, flags: CapacityFlags, parsed: Command) => {
      setExitCode(await executeCapacity(io, flags, parsed, scenario, ['rtbench', ...argv]));
    });
}

async function executeCapacity(io: CliIo, flags: CapacityFlags, parsed: Command, scenarioArgument: string | undefined, commandLine: string[]): Promise<ExitCodeValue> {
  const fromOptions = { ...toSettings(flags), floor: false };
  const { settings, scenario } = resolveScenarioSettings(scenarioArgument, io.cwd, fromOptions, parsed);
  const search = searchPlan(flags, parsed, settings);
  const serviceLevel: ServiceLevel = { maxP99Ms: flags.maxP99, maxLost: flags.maxLost, allowSaturatedGenerator: flags.allowSaturatedGenerator };

  const reportPath = resolve(io.cwd, flags.out ?? defaultReportPath(new Date().toISOString()));
  const controller = new AbortController();
  const removeInterruptHandler = io.onInterrupt((signal) => controller.abort(new InterruptedError(signal)));
  const talk = !flags.quiet && !flags.json;
  const progress = talk && progressEnabled(io) ? new ProgressLine(io) : undefined;
  if (talk) io.stderr(`searching the ${search.dimension === 'clients' ? 'client count' : 'rate'} of the ${settings.workload.kind} workload that meets ${describeServiceLevel(serviceLevel)}\n`);

  let report: Report;
  try {
    report = await runCapacity(settings, {
      search,
      serviceLevel,
      command: commandLine,
      scenario,
      signal: controller.signal,
      onProgress: (event) => progress?.update(event),
      onStep: async (transport, step, partial) => {
        progress?.clear();
        if (talk) io.stderr(`${describeStep(transport, step, search)}\n`);
        await writeReport(reportPath, partial);
      },
    });
  } finally {
    removeInterruptHandler();
    progress?.clear();
  }
  await writeReport(reportPath, report);

  if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (!flags.quiet) io.stdout(`${renderCapacitySummary(report)}\n\n${renderCapacityCurves(report)}\n`);
  if (!flags.quiet) io.stderr(`report written to ${reportPath}\n`);
  return report.status === 'interrupted' ? ExitCode.INTERRUPTED : ExitCode.OK;
}

function describeStep(transport: TransportName, step: CapacityStep, search: SearchPlan): string {
  const load = formatLoadWithUnit(step.load, search.dimension === 'clients' ? 'clients' : 'messages/s');
  const verdict = step.passed ? 'pass' : `fail (${step.failures.join('; ')})`;
  return `${transport}: ${load}: p50 ${formatMs(step.latencyP50Ms)} ms, p99 ${formatMs(step.latencyP99Ms)} ms, ${step.lost} lost: ${verdict}`;
}

/** Builds the search plan from the options, the scenario and the machine's limits. */
function searchPlan(flags: CapacityFlags, parsed: Command, settings: RunSettings): SearchPlan {
  const clientsGiven = parsed.getOptionValueSource('clients') === 'cli';
  if (flags.dimension === 'clients' && clientsGiven) {
    throw new InvalidOptionError('--clients sets a fixed client count, but --dimension clients searches it: give the first count with --start');
  }
  const base = { factor: flags.factor, tolerance: flags.tolerance, maxSteps: flags.maxSteps };

  if (flags.dimension === 'rate') {
    const upperBound = flags.max ?? MAX_RATE;
    return { ...base, dimension: 'rate', start: Math.min(flags.start ?? settings.rate, upperBound), lowerBound: 0.01, upperBound };
  }

  const upperBound = Math.floor(Math.min(flags.max ?? Infinity, machineClientLimit()));
  const lowerBound = settings.workload.kind === 'chat' ? Math.ceil(1 / settings.workload.senderFraction) : 1;
  const start = Math.round(flags.start ?? DEFAULT_START_CLIENTS);
  if (start < lowerBound || start > upperBound) {
    throw new InvalidOptionError(`--start ${start} is outside the clients this search can try: expected ${lowerBound} to ${upperBound}`);
  }
  return { ...base, dimension: 'clients', start, lowerBound, upperBound };
}

/** Returns the maximum client count that the descriptor limit and the ephemeral port range allow (see checkCapacity). */
function machineClientLimit(): number {
  const limits = readMachineLimits();
  let limit = 1_000_000;
  if (limits.openFiles !== undefined) limit = Math.min(limit, limits.openFiles - DESCRIPTOR_RESERVE);
  if (limits.portRange) limit = Math.min(limit, limits.portRange[1] - limits.portRange[0] + 1);
  return limit;
}
