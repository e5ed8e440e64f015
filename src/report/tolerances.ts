import { parseQuantity, parseSelector, Scanner, type Target } from './expression.js';
import { formatFigure, type Figure } from './figures.js';

/**
 * How much worse than the baseline a figure may get before `compare` calls
 * it a regression. Grammar of --max-regression:
 *
 *   tolerances := tolerance ("," tolerance)*
 *   tolerance  := [target "."] figure "=" number ("%" | unit)
 *
 * Targets, figures and units are those of thresholds (thresholds.ts). `%` is
 * relative to the baseline's value, for every figure: `server.cpu=10%` allows
 * 10% more CPU than the baseline, not 10 percentage points (write
 * `server.cpu=10` for that). A number with a unit, or a bare number, is an
 * absolute allowance in the figure's base unit: `latency.p99=5ms`,
 * `messages.lost=0`. A transport-specific tolerance overrides a `*` one for
 * that transport.
 */
export interface Tolerance {
  target: Target;
  figure: Figure;
  kind: 'relative' | 'absolute';
  /** Percent for relative tolerances; the figure's base unit for absolute ones. */
  amount: number;
}

/**
 * Applied by `compare` and `run --baseline` when --max-regression is not
 * given: the figures a CI job most often guards, with room for the noise of a
 * single run. They are starting points, not measured limits.
 */
export const DEFAULT_MAX_REGRESSION = 'latency.p99=25%,server.memoryPerConnection=20%,throughput.deliveredPerSec=10%';

/** Parses a --max-regression list; raises InvalidExpressionError with the column of the first problem. */
export function parseTolerances(text: string): Tolerance[] {
  const scanner = new Scanner(text, '--max-regression');
  const tolerances: Tolerance[] = [];
  do {
    const selector = parseSelector(scanner);
    scanner.skipSpaces();
    if (!scanner.accept('=')) throw scanner.fail('expected "=" and a tolerance such as 20% or 5ms');
    const quantity = parseQuantity(scanner, selector.figure, true);
    tolerances.push({
      target: selector.target,
      figure: selector.figure,
      kind: quantity.unit === '%' ? 'relative' : 'absolute',
      amount: quantity.value,
    });
    scanner.skipSpaces();
  } while (scanner.accept(','));
  scanner.expectEnd();
  return tolerances;
}

/** Finds the tolerance for one figure of one transport: a transport-specific one before a `*` one. */
export function findTolerance(tolerances: readonly Tolerance[], transport: string, figure: Figure): Tolerance | undefined {
  const matching = tolerances.filter((tolerance) => tolerance.figure === figure);
  return matching.find((tolerance) => tolerance.target === transport) ?? matching.find((tolerance) => tolerance.target === '*');
}

export function describeTolerance(tolerance: Tolerance): string {
  return tolerance.kind === 'relative' ? `${tolerance.amount}%` : formatFigure(tolerance.figure, tolerance.amount);
}
