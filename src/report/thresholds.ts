import { InvalidOptionError } from '../errors.js';
import type { TransportName } from '../transports/types.js';
import { parseQuantity, parseSelector, Scanner, type Target } from './expression.js';
import { findFigure, formatFigure, readFigure, type Figure } from './figures.js';
import type { Report } from './types.js';

/**
 * Thresholds: pass/fail limits on the figures of a report.
 *
 * Grammar (spaces allowed between tokens):
 *
 *   threshold := [target "."] figure operator number [unit]
 *   target    := "*" | a transport name or alias: long-polling (poll, lp), sse, websocket (ws)
 *   figure    := a public name from FIGURES in figures.ts, such as latency.p99,
 *                messages.lost, server.memoryPerConnection, throughput.deliveredPerSec,
 *                or the TransportResult field it stands for (latencyMs.p99)
 *   operator  := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   number    := digits with an optional decimal part; never negative
 *   unit      := "ms" | "s"                                   for times
 *              | "B" | "KB" | "MB" | "GB" (also KiB, MiB, GiB) for bytes; binary, 1 KB = 1024 B
 *              | "/s" (also "msg/s")                          for rates
 *              | "%"                                          for CPU figures
 *
 * A bare number is in the figure's base unit: ms, bytes, per second, a count
 * or a percent. A unit that does not fit the figure is an error. Without a
 * target, or with `*`, the threshold applies to every transport in the
 * report. A threshold fails when its figure was not measured, for example a
 * latency percentile when no message was delivered, because a gate that
 * cannot check must not pass.
 *
 * Examples: `websocket.latency.p99 < 150ms`, `*.messages.lost == 0`,
 * `sse.server.memoryPerConnection < 16KB`, `long-polling.throughput.deliveredPerSec > 5000/s`.
 */

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** Longest operators first, so `<=` is not read as `<` followed by `=`. */
const OPERATORS: readonly Operator[] = ['<=', '>=', '==', '!=', '<', '>'];

export interface Threshold {
  /** The expression as written. */
  expression: string;
  target: Target;
  figure: Figure;
  operator: Operator;
  /** In the figure's base unit. */
  limit: number;
  /** The limit as written, e.g. `200ms`: exact, where a formatted value could round. */
  limitText: string;
}

/** One threshold checked against one transport; stored in the report. */
export interface ThresholdOutcome {
  expression: string;
  transport: TransportName;
  /** Public figure name, e.g. `latency.p99`. */
  figure: string;
  operator: Operator;
  limit: number;
  /** Null when the figure was not measured. */
  measured: number | null;
  passed: boolean;
  /** For example `measured 250 ms, limit < 200ms`. */
  detail: string;
}

/** Parses one threshold; raises InvalidExpressionError with the column of the first problem. */
export function parseThreshold(expression: string): Threshold {
  const scanner = new Scanner(expression, 'threshold');
  const selector = parseSelector(scanner);

  scanner.skipSpaces();
  const operator = OPERATORS.find((candidate) => scanner.accept(candidate));
  if (!operator) throw scanner.fail('expected an operator (<, <=, >, >=, == or !=)');

  const quantity = parseQuantity(scanner, selector.figure);
  scanner.expectEnd();
  return { expression: expression.trim(), target: selector.target, figure: selector.figure, operator, limit: quantity.value, limitText: quantity.text };
}

/** Raises a usage error, before anything starts, for a threshold on a transport the run will not measure. */
export function checkThresholdTargets(thresholds: readonly Threshold[], transports: readonly TransportName[]): void {
  for (const threshold of thresholds) {
    if (threshold.target !== '*' && !transports.includes(threshold.target)) {
      throw new InvalidOptionError(
        `threshold "${threshold.expression}" names ${threshold.target}, which this run does not measure: add it to --transports or use *`,
      );
    }
  }
}

/** Checks every threshold against every transport it names; a named transport missing from the report fails. */
export function evaluateThresholds(report: Report, thresholds: readonly Threshold[]): ThresholdOutcome[] {
  const outcomes: ThresholdOutcome[] = [];
  for (const threshold of thresholds) {
    const transports = threshold.target === '*' ? report.results.map((result) => result.transport) : [threshold.target];
    for (const transport of transports) outcomes.push(evaluateOne(report, threshold, transport));
  }
  return outcomes;
}

function evaluateOne(report: Report, threshold: Threshold, transport: TransportName): ThresholdOutcome {
  const result = report.results.find((candidate) => candidate.transport === transport);
  const measured = result ? readFigure(threshold.figure, result) : null;
  const passed = measured !== null && compare(measured, threshold.operator, threshold.limit);
  const limitText = `${threshold.operator} ${threshold.limitText}`;
  let detail: string;
  if (!result) detail = `${transport} was not measured in this report, limit ${limitText}`;
  else if (measured === null) detail = `not measured, limit ${limitText}`;
  else detail = `measured ${formatFigure(threshold.figure, measured)}, limit ${limitText}`;

  return {
    expression: threshold.expression,
    transport,
    figure: threshold.figure.name,
    operator: threshold.operator,
    limit: threshold.limit,
    measured,
    passed,
    detail,
  };
}

function compare(measured: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return measured < limit;
    case '<=':
      return measured <= limit;
    case '>':
      return measured > limit;
    case '>=':
      return measured >= limit;
    case '==':
      return measured === limit;
    case '!=':
      return measured !== limit;
  }
}

/** Formats one line per outcome, e.g. `threshold failed: websocket.latency.p99 < 200ms: measured 250 ms, limit < 200ms`. */
export function describeOutcome(outcome: ThresholdOutcome): string {
  const verdict = outcome.passed ? 'threshold passed' : 'threshold failed';
  const scope = outcome.expression.startsWith(`${outcome.transport}.`) ? '' : ` [${outcome.transport}]`;
  return `${verdict}: ${outcome.expression}${scope}: ${outcome.detail}`;
}

/** The figure of a stored outcome, for formatting; undefined for a name this version does not know. */
export function outcomeFigure(outcome: ThresholdOutcome): Figure | undefined {
  return findFigure(outcome.figure);
}
