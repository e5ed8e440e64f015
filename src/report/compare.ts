import { median } from '../driver/aggregate.js';
import { ScenarioMismatchError } from '../errors.js';
import { describeWorkloadDifferences } from '../scenarios/identity.js';
import type { TransportName } from '../transports/types.js';
import { FIGURES, formatFigure, readFigure, type Figure } from './figures.js';
import { describeTolerance, findTolerance, type Tolerance } from './tolerances.js';
import type { Report, TransportResult } from './types.js';

/**
 * A figure's value in one report: the median over its repeated runs when the
 * report has them, with the smallest and largest run.
 */
export interface Estimate {
  value: number | null;
  min: number | null;
  max: number | null;
  /** Runs behind the value: 1 without --repeat. */
  runs: number;
}

/**
 * pass: within the tolerance, or better. regression: worse than the
 * tolerance allows. noise: worse than the tolerance allows, but one
 * report's median lies inside the other's min-max range. not-measured: the baseline has the
 * figure and the current report does not. unchecked: no tolerance, or no
 * baseline value to compare with.
 */
export type Verdict = 'pass' | 'regression' | 'noise' | 'not-measured' | 'unchecked';

export interface FigureDelta {
  transport: TransportName;
  figure: Figure;
  baseline: Estimate;
  current: Estimate;
  /** current − baseline, in the figure's base unit. */
  delta: number | null;
  /** delta relative to the baseline, in percent; null when the baseline is 0 or missing. */
  deltaPercent: number | null;
  change: 'better' | 'worse' | 'same' | 'unknown';
  tolerance?: Tolerance;
  /** At least one report has repeated runs, and one report's median lies inside the other's min-max range. */
  withinSpread: boolean;
  verdict: Verdict;
  /** One sentence for the failure message and the JUnit case. */
  detail: string;
}

export interface Comparison {
  baselineScenario: Report['scenario'];
  currentScenario: Report['scenario'];
  /** Workload settings that differ, e.g. `clients 1000 → 200`; empty when the hashes match. */
  workloadDifferences: string[];
  /** Every compared figure of every transport in both reports, in table order. */
  rows: FigureDelta[];
  /** The rows that have a tolerance: one regression check each. */
  checks: FigureDelta[];
  /** Transports in only one of the reports; they are not compared. */
  onlyInBaseline: TransportName[];
  onlyInCurrent: TransportName[];
  passed: boolean;
}

export interface CompareOptions {
  tolerances: readonly Tolerance[];
  /** Compare even when the scenario hashes differ. */
  allowScenarioChange: boolean;
  /** Names the baseline in the mismatch message, e.g. its path. */
  baselineName: string;
}

/**
 * Raises ScenarioMismatchError when the reports measured different
 * workloads, unless `allowScenarioChange`; returns the differing settings.
 */
export function checkScenario(baseline: Report, current: Pick<Report, 'scenario' | 'settings'>, options: Pick<CompareOptions, 'allowScenarioChange' | 'baselineName'>): string[] {
  if (baseline.scenario.hash === current.scenario.hash) return [];
  const differences = describeWorkloadDifferences(baseline.settings, current.settings);
  if (options.allowScenarioChange) return differences.length > 0 ? differences : ['scenario hash differs'];

  const listed = differences.length > 0 ? differences.join(', ') : 'the scenario files differ';
  throw new ScenarioMismatchError(
    `baseline ${options.baselineName} measured another workload (scenario hash ${baseline.scenario.hash}, this run ${current.scenario.hash}: ${listed}): ` +
      'make a new baseline with the same settings, or pass --allow-scenario-change',
  );
}

/** Compares every shared transport figure by figure and applies the tolerances. */
export function compareReports(baseline: Report, current: Report, options: CompareOptions): Comparison {
  const workloadDifferences = checkScenario(baseline, current, options);
  const baselineTransports = baseline.results.map((result) => result.transport);
  const currentTransports = current.results.map((result) => result.transport);
  const shared = currentTransports.filter((transport) => baselineTransports.includes(transport));

  const figures = FIGURES.filter((figure) => figure.compared || options.tolerances.some((tolerance) => tolerance.figure === figure));
  const rows: FigureDelta[] = [];
  for (const transport of shared) {
    for (const figure of figures) {
      const baselineEstimate = estimate(baseline, transport, figure);
      const currentEstimate = estimate(current, transport, figure);
      rows.push(compareFigure(transport, figure, baselineEstimate, currentEstimate, findTolerance(options.tolerances, transport, figure)));
    }
  }

  const checks = rows.filter((row) => row.tolerance !== undefined);
  return {
    baselineScenario: baseline.scenario,
    currentScenario: current.scenario,
    workloadDifferences,
    rows,
    checks,
    onlyInBaseline: baselineTransports.filter((transport) => !currentTransports.includes(transport)),
    onlyInCurrent: currentTransports.filter((transport) => !baselineTransports.includes(transport)),
    passed: checks.every((check) => check.verdict !== 'regression' && check.verdict !== 'not-measured'),
  };
}

/** Reads the median of the transport's repeated runs when there are two or more, else its single result. */
export function estimate(report: Report, transport: TransportName, figure: Figure): Estimate {
  const values = (report.runs ?? [])
    .filter((run) => run.transport === transport)
    .map((run) => readFigure(figure, run))
    .filter((value): value is number => value !== null);
  if (values.length >= 2) return { value: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };

  const result: TransportResult | undefined = report.results.find((candidate) => candidate.transport === transport);
  const value = result ? readFigure(figure, result) : null;
  return { value, min: value, max: value, runs: value === null ? 0 : 1 };
}

function compareFigure(transport: TransportName, figure: Figure, baseline: Estimate, current: Estimate, tolerance: Tolerance | undefined): FigureDelta {
  const delta = baseline.value !== null && current.value !== null ? current.value - baseline.value : null;
  const deltaPercent = delta !== null && baseline.value !== 0 ? (delta / Math.abs(baseline.value!)) * 100 : null;
  const worseBy = delta === null ? null : worsening(figure, delta);
  const change = classifyChange(worseBy);
  const withinSpread = (baseline.runs > 1 || current.runs > 1) && (inRange(current.value, baseline) || inRange(baseline.value, current));
  const row: FigureDelta = { transport, figure, baseline, current, delta, deltaPercent, change, tolerance, withinSpread, verdict: 'unchecked', detail: '' };

  if (!tolerance) {
    row.detail = 'no tolerance set';
  } else if (baseline.value === null) {
    row.detail = 'the baseline did not measure this figure';
  } else if (current.value === null) {
    row.verdict = 'not-measured';
    row.detail = `not measured in the current report (baseline ${formatFigure(figure, baseline.value)})`;
  } else {
    judge(row, worseBy!, tolerance);
  }
  return row;
}

/** Turns a change into how much worse it is: positive is worse, whichever direction is better. */
function worsening(figure: Figure, delta: number): number {
  return figure.better === 'lower' ? delta : -delta;
}

function classifyChange(worseBy: number | null): FigureDelta['change'] {
  if (worseBy === null) return 'unknown';
  if (worseBy > 0) return 'worse';
  if (worseBy < 0) return 'better';
  return 'same';
}

function judge(row: FigureDelta, worseBy: number, tolerance: Tolerance): void {
  const baselineValue = row.baseline.value!;
  const allowed = tolerance.kind === 'relative' ? (Math.abs(baselineValue) * tolerance.amount) / 100 : tolerance.amount;
  const change = `${formatFigure(row.figure, baselineValue)} → ${formatFigure(row.figure, row.current.value)} (${describeChange(row)})`;
  const limit = `tolerance ${describeTolerance(tolerance)}`;

  if (worseBy <= allowed) {
    row.verdict = 'pass';
    row.detail = `${change}, ${limit}`;
  } else if (row.withinSpread) {
    row.verdict = 'noise';
    row.detail = `${change} exceeds the ${limit}, but lies within the spread of the repeated runs (baseline ${describeRange(row.figure, row.baseline)}, current ${describeRange(row.figure, row.current)}): noise, not a regression`;
  } else {
    row.verdict = 'regression';
    row.detail = `${change} exceeds the ${limit}`;
  }
}

/**
 * Tells whether a median lies inside another report's min-max range. This
 * is stricter than overlapping ranges: a median that tripled still fails
 * when only its fastest run reaches the baseline's range.
 */
function inRange(value: number | null, range: Estimate): boolean {
  if (value === null || range.min === null || range.max === null) return false;
  return range.min <= value && value <= range.max;
}

export function describeRange(figure: Figure, value: Estimate): string {
  if (value.runs <= 1) return formatFigure(figure, value.value);
  return `${formatFigure(figure, value.min)}–${formatFigure(figure, value.max)}`;
}

/** For example `+52.0%, worse` or `−3 ms, better`. */
export function describeChange(row: FigureDelta): string {
  if (row.delta === null) return 'n/a';
  if (row.change === 'same') return 'no change';
  const amount = row.deltaPercent !== null ? `${signed(row.deltaPercent, 1)}%` : `${row.delta > 0 ? '+' : '−'}${formatFigure(row.figure, Math.abs(row.delta))}`;
  return `${amount}, ${row.change}`;
}

function signed(value: number, digits: number): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(digits)}`;
}
