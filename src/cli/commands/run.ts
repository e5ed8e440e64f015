import { Command, Option } from 'commander';
import { runBenchmark } from '../../driver/run.js';
import { checkCapacity } from '../../driver/limits.js';
import { InterruptedError } from '../../errors.js';
import { defaultReportPath, writeReport } from '../../report/write.js';
import { renderComparisonTable, renderWarnings } from '../../report/table.js';
import type { Report } from '../../report/types.js';
import { resolveScenarioSettings } from '../../scenarios/resolve.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../../scenarios/settings.js';
import { TRANSPORT_NAMES } from '../../transports/registry.js';
import { ExitCode, EXIT_CODE_HELP, type ExitCodeValue } from '../exit-codes.js';
import { colorEnabled, progressEnabled, type CliIo } from '../io.js';
import { addFaultOptions, faultRunSettings, type FaultFlags } from '../fault-options.js';
import { integerInRange, numberInRange, oneOf, transportList } from '../option-parsers.js';
import { NO_FAULTS, validateFaultTarget, validateFaultTimes } from '../../faults/settings.js';
import { isScaledOut } from '../../scenarios/topology.js';
import { usesStreams } from '../../workloads/plan.js';
import { ProgressLine } from '../progress.js';
import { addScaleOutOptions, topologyFromFlags, type ScaleOutFlags } from '../scale-out-options.js';
import { checkTopology } from '../../driver/topology-checks.js';
import { resolve } from 'node:path';
import { evaluateGates, gateExitCode, gateOptions, prepareGates, publishGates, type GateFlags } from '../gates.js';

export interface RunFlags extends GateFlags, FaultFlags, ScaleOutFlags {
  transports: RunSettings['transports'];
  clients: number;
  rate: number;
  payloadBytes: number;
  warmup: number;
  duration: number;
  rampRate: number;
  drain: number;
  connectTimeout: number;
  sseClient: string;
  maxGeneratorLag: number;
  repeat: number;
  injectDelayMs: number;
  injectCostUs: number;
  floor: boolean;
  heartbeatMs: number;
  strict: boolean;
  out?: string;
  json: boolean;
  quiet: boolean;
}

const D = DEFAULT_SETTINGS;

export function runCommand(io: CliIo, argv: readonly string[], setExitCode: (code: ExitCodeValue) => void): Command {
  const command = new Command('run')
    .description('start a reference server per transport, drive simulated clients against it and compare the transports')
    .argument('[scenario]', 'scenario file (YAML) or the name of a bundled one (rtbench scenarios lists them); options given here override its fields')
    .addOption(new Option('-t, --transports <list>', `comma-separated transports (${TRANSPORT_NAMES.join(', ')}; aliases poll, ws)`).argParser(transportList).default(D.transports, D.transports.join(',')))
    .addOption(new Option('-c, --clients <count>', 'simulated clients per transport').argParser(integerInRange(1, 1_000_000)).default(D.clients))
    .addOption(new Option('-r, --rate <messages-per-second>', 'broadcast messages per second').argParser(numberInRange(0.01, 100_000)).default(D.rate))
    .addOption(new Option('--payload-bytes <bytes>', 'payload size of each message, in bytes').argParser(integerInRange(1, 1_048_576)).default(D.payloadBytes))
    .addOption(new Option('--warmup <seconds>', 'publishing time before the measured window, in seconds').argParser(numberInRange(0, 3600)).default(D.warmupSec))
    .addOption(new Option('-d, --duration <seconds>', 'length of the measured window, in seconds').argParser(numberInRange(0.1, 86_400)).default(D.durationSec))
    .addOption(new Option('--ramp-rate <connections-per-second>', 'new connections per second during ramp-up').argParser(integerInRange(1, 1_000_000)).default(D.rampRate))
    .addOption(new Option('--drain <seconds>', 'wait after the window for late messages that were due inside it, in seconds').argParser(numberInRange(0, 600)).default(D.drainSec))
    .addOption(new Option('--connect-timeout <seconds>', 'clients not connected by then count as failed, in seconds').argParser(numberInRange(1, 3600)).default(D.connectTimeoutSec))
    .addOption(new Option('--sse-client <implementation>', 'SSE client: undici (lean) or eventsource (browser-faithful, heavier)').argParser(oneOf(['undici', 'eventsource'])).default(D.sseClient))
    .addOption(new Option('--max-generator-lag <ms>', 'mark the generator saturated above this event-loop delay p99, in ms').argParser(numberInRange(1, 60_000)).default(D.maxGeneratorLagMs))
    .addOption(new Option('--repeat <count>', 'run every transport this many times, interleaved, and report medians with min-max').argParser(integerInRange(1, 100)).default(D.repeat))
    .addOption(new Option('--inject-delay-ms <ms>', 'the reference server holds every message this long past its due time (calibration), in ms').argParser(numberInRange(0, 60_000)).default(D.injectDelayMs))
    .addOption(new Option('--inject-cost-us <us>', 'the reference server busy-waits this long per message and subscriber (calibration), in µs').argParser(numberInRange(0, 1_000_000)).default(D.injectCostUs))
    .addOption(new Option('--no-floor', 'skip the single-subscriber latency floor measured before the main load'))
    .addOption(new Option('--heartbeat-ms <ms>', 'SSE heartbeat and WebSocket ping interval, in ms').argParser(integerInRange(100, 3_600_000)).default(D.heartbeatMs))
    .addOption(new Option('--strict', `exit with code ${ExitCode.GENERATOR_SATURATED} when the load generator was saturated`).default(false))
    .addOption(new Option('-o, --out <path>', 'report file (default: reports/rtbench-<time>.json)'))
    .addOption(new Option('--json', 'print the report as JSON on stdout instead of the tables').default(false))
    .addOption(new Option('-q, --quiet', 'print no progress and no tables, only errors').default(false))
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    .action(async (scenario: string | undefined, flags: RunFlags, command: Command) => {
      setExitCode(await executeRun(io, flags, ['rtbench', ...argv], command, scenario));
    });
  for (const option of gateOptions()) command.addOption(option);
  addFaultOptions(command);
  return addScaleOutOptions(command);
}

/** Settings from the options alone, defaults included; a scenario file goes between the two (see layerSettings). */
export function toSettings(flags: RunFlags): RunSettings {
  return {
    ...DEFAULT_SETTINGS,
    transports: flags.transports,
    clients: flags.clients,
    rate: flags.rate,
    payloadBytes: flags.payloadBytes,
    warmupSec: flags.warmup,
    durationSec: flags.duration,
    rampRate: flags.rampRate,
    drainSec: flags.drain,
    connectTimeoutSec: flags.connectTimeout,
    sseClient: flags.sseClient,
    maxGeneratorLagMs: flags.maxGeneratorLag,
    repeat: flags.repeat,
    injectDelayMs: flags.injectDelayMs,
    injectCostUs: flags.injectCostUs,
    floor: flags.floor,
    heartbeatMs: flags.heartbeatMs,
    ...faultRunSettings(flags),
    ...topologyFromFlags(flags),
  };
}

async function executeRun(io: CliIo, flags: RunFlags, command: string[], parsed: Command, scenarioArgument: string | undefined): Promise<ExitCodeValue> {
  const { settings, scenario, thresholds: fileThresholds } = resolveScenarioSettings(scenarioArgument, io.cwd, toSettings(flags), parsed);
  // A scenario file's thresholds add to those given with --threshold.
  flags.threshold = [...flags.threshold, ...fileThresholds];
  validateFaultTimes(settings.faults ?? NO_FAULTS, settings.warmupSec, settings.durationSec);
  validateFaultTarget(settings.faults ?? NO_FAULTS, isScaledOut(settings), usesStreams(settings.workload));
  checkCapacity(settings.clients, undefined, settings.connectionsPerSourceAddress);
  checkTopology(settings, io.env.PATH);
  const gates = await prepareGates(io, flags, settings);

  const reportPath = resolve(io.cwd, flags.out ?? defaultReportPath(new Date().toISOString()));
  const controller = new AbortController();
  const removeInterruptHandler = io.onInterrupt((signal) => controller.abort(new InterruptedError(signal)));
  const progress = !flags.quiet && !flags.json && progressEnabled(io) ? new ProgressLine(io) : undefined;

  let report: Report;
  try {
    report = await runBenchmark(settings, {
      command,
      scenario,
      signal: controller.signal,
      onProgress: (event) => progress?.update(event),
      onPartialReport: (partial) => writeReport(reportPath, partial),
    });
  } finally {
    removeInterruptHandler();
    progress?.clear();
  }
  if (controller.signal.aborted) report.status = 'interrupted';
  const verdict = evaluateGates(report, gates);
  await writeReport(reportPath, report);

  printReport(io, report, flags, reportPath);
  await publishGates(io, report, verdict, flags, { quiet: flags.quiet, json: flags.json });
  const runCode = exitCodeFor(report, flags.strict);
  return runCode === ExitCode.OK ? gateExitCode(verdict) : runCode;
}

function printReport(io: CliIo, report: Report, flags: RunFlags, reportPath: string): void {
  if (flags.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const color = colorEnabled(io);
  if (!flags.quiet) {
    io.stdout(`${renderComparisonTable(report, { color })}\n`);
  }
  for (const line of renderWarnings(report, { color })) io.stderr(`${line}\n`);
  if (!flags.quiet) io.stderr(`report written to ${reportPath}\n`);
}

export function exitCodeFor(report: Report, strict: boolean): ExitCodeValue {
  if (report.status === 'interrupted') return ExitCode.INTERRUPTED;
  if (report.status === 'failed') return ExitCode.RUN_FAILED;
  if (strict && report.results.some((result) => result.generator.saturated)) return ExitCode.GENERATOR_SATURATED;
  return ExitCode.OK;
}
