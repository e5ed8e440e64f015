import { Option } from 'commander';
import { resolve } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { compareReports, checkScenario, type Comparison } from '../report/compare.js';
import { describeFailedChecks, renderDeltaTable, comparisonNotes } from '../report/compare-table.js';
import { readReportFile } from '../report/read.js';
import { checkThresholdTargets, describeOutcome, evaluateThresholds, parseThreshold, type Threshold, type ThresholdOutcome } from '../report/thresholds.js';
import { DEFAULT_MAX_REGRESSION, parseTolerances, type Tolerance } from '../report/tolerances.js';
import type { Report } from '../report/types.js';
import { scenarioIdentity } from '../scenarios/identity.js';
import type { RunSettings } from '../scenarios/settings.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { colorEnabled, type CliIo } from './io.js';
import { writeCiFiles, type CiFileFlags } from './ci-files.js';

/** Options shared by `run` and `report`: thresholds, a baseline and the CI output files. */
export interface GateFlags extends CiFileFlags {
  threshold: Threshold[];
  baseline?: string;
  maxRegression?: Tolerance[];
  allowScenarioChange: boolean;
}

export function gateOptions(): Option[] {
  return [
    new Option('--threshold <expression>', `fail with exit code ${ExitCode.THRESHOLD_FAILED} unless the figure meets the limit, e.g. 'websocket.latency.p99 < 150ms' or '*.messages.lost == 0' (repeatable; grammar in the README)`)
      .argParser(collectThreshold)
      .default([], 'none'),
    new Option('--baseline <report.json>', `compare with this report and fail with exit code ${ExitCode.REGRESSION} on a regression`),
    new Option('--max-regression <tolerances>', `with --baseline: how much worse each figure may get, e.g. 'latency.p99=20%,server.memoryPerConnection=10%' (default: ${DEFAULT_MAX_REGRESSION})`).argParser(parseTolerances),
    new Option('--allow-scenario-change', 'with --baseline: compare even when the baseline measured other workload settings').default(false),
    ...ciFileOptions(),
  ];
}

/** --junit, --markdown and --html: written by `run`, `report` and `compare`. */
export function ciFileOptions(): Option[] {
  return [
    new Option('--junit <path>', 'write a JUnit XML file: one test case per transport run, threshold and regression check'),
    new Option('--markdown <path>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when that is set)'),
    new Option('--html <path>', 'write a self-contained HTML report with latency, memory and throughput charts'),
  ];
}

function collectThreshold(value: string, previous: Threshold[]): Threshold[] {
  return [...previous, parseThreshold(value)];
}

/** Gate inputs checked before the run, so a bad baseline stops the run before it starts. */
export interface PreparedGates {
  thresholds: Threshold[];
  baseline?: { path: string; report: Report };
  tolerances: Tolerance[];
  allowScenarioChange: boolean;
}

/**
 * Checks every gate option before anything starts: thresholds must name
 * transports the run measures, and the baseline must be readable and measure
 * the same workload (unless --allow-scenario-change).
 */
export async function prepareGates(io: CliIo, flags: GateFlags, settings: RunSettings): Promise<PreparedGates> {
  checkThresholdTargets(flags.threshold, settings.transports);
  if (flags.maxRegression && !flags.baseline) throw new InvalidOptionError('--max-regression needs --baseline <report.json> to compare with');
  const gates: PreparedGates = {
    thresholds: flags.threshold,
    tolerances: flags.maxRegression ?? parseTolerances(DEFAULT_MAX_REGRESSION),
    allowScenarioChange: flags.allowScenarioChange,
  };
  if (flags.baseline) {
    const path = resolve(io.cwd, flags.baseline);
    const report = await readReportFile(path);
    checkScenario(report, { scenario: scenarioIdentity(settings), settings }, { allowScenarioChange: flags.allowScenarioChange, baselineName: flags.baseline });
    gates.baseline = { path: flags.baseline, report };
  }
  return gates;
}

export interface GateVerdict {
  thresholds?: ThresholdOutcome[];
  comparison?: Comparison;
}

/** Evaluates the thresholds into `report.thresholds` (so the written report has them) and compares with the baseline. */
export function evaluateGates(report: Report, gates: PreparedGates): GateVerdict {
  const verdict: GateVerdict = {};
  if (gates.thresholds.length > 0) {
    verdict.thresholds = evaluateThresholds(report, gates.thresholds);
    report.thresholds = verdict.thresholds;
  }
  if (gates.baseline) {
    verdict.comparison = compareReports(gates.baseline.report, report, {
      tolerances: gates.tolerances,
      allowScenarioChange: gates.allowScenarioChange,
      baselineName: gates.baseline.path,
    });
  }
  return verdict;
}

export interface PublishOptions {
  /** Print only failures. */
  quiet: boolean;
  /** stdout carries JSON: print nothing else there. */
  json: boolean;
}

/** Prints the outcome of every gate and writes the requested CI files. */
export async function publishGates(io: CliIo, report: Report, verdict: GateVerdict, flags: CiFileFlags, options: PublishOptions): Promise<void> {
  for (const outcome of verdict.thresholds ?? []) {
    if (!outcome.passed || !options.quiet) io.stderr(`${describeOutcome(outcome)}\n`);
  }
  if (verdict.comparison) {
    if (!options.quiet && !options.json) io.stdout(`\nCompared with the baseline:\n${renderDeltaTable(verdict.comparison, { color: colorEnabled(io) })}\n`);
    else for (const note of comparisonNotes(verdict.comparison)) io.stderr(`${note}\n`);
    for (const line of describeFailedChecks(verdict.comparison)) io.stderr(`${line}\n`);
  }
  await writeCiFiles(io, { report, thresholds: verdict.thresholds, comparison: verdict.comparison }, flags, options.quiet);
}

/** Exit code of the gates alone: a failed threshold before a regression. */
export function gateExitCode(verdict: GateVerdict): ExitCodeValue {
  if (verdict.thresholds?.some((outcome) => !outcome.passed)) return ExitCode.THRESHOLD_FAILED;
  if (verdict.comparison && !verdict.comparison.passed) return ExitCode.REGRESSION;
  return ExitCode.OK;
}
