import Table from 'cli-table3';
import { describeChange, type Comparison, type Estimate, type FigureDelta } from './compare.js';
import { formatFigure, type Figure } from './figures.js';
import { describeTolerance } from './tolerances.js';

/** Column titles of the delta table, shared by the terminal, Markdown and HTML forms. */
export const DELTA_COLUMNS = ['transport', 'figure', 'better', 'baseline', 'current', 'change', 'tolerance', 'verdict'] as const;

/**
 * Formats one delta-table row as text cells. With repeated runs a value reads
 * `median (min–max)`, so the reader sees the spread the verdict used.
 */
export function deltaCells(row: FigureDelta): string[] {
  return [
    row.transport,
    row.figure.label,
    row.figure.better === 'lower' ? 'lower' : 'higher',
    describeEstimate(row.figure, row.baseline),
    describeEstimate(row.figure, row.current),
    describeChange(row),
    row.tolerance ? describeTolerance(row.tolerance) : '',
    describeVerdict(row),
  ];
}

export function describeEstimate(figure: Figure, value: Estimate): string {
  const main = formatFigure(figure, value.value);
  if (value.runs <= 1) return main;
  return `${main} (${formatFigure(figure, value.min)}–${formatFigure(figure, value.max)})`;
}

export function describeVerdict(row: FigureDelta): string {
  switch (row.verdict) {
    case 'pass':
      return 'ok';
    case 'regression':
      return 'REGRESSION';
    case 'noise':
      return 'within spread (noise)';
    case 'not-measured':
      return 'NOT MEASURED';
    case 'unchecked':
      return '';
  }
}

/** Renders the delta table for a terminal, followed by notes on scenario changes and unmatched transports. */
export function renderDeltaTable(comparison: Comparison, options: { color: boolean }): string {
  const table = new Table({
    head: [...DELTA_COLUMNS],
    style: { head: options.color ? ['cyan'] : [], border: [], compact: true },
  });
  for (const row of comparison.rows) table.push(deltaCells(row));
  return [table.toString(), ...comparisonNotes(comparison)].join('\n');
}

/** Lines a reader must see next to the delta table. */
export function comparisonNotes(comparison: Comparison): string[] {
  const notes: string[] = [];
  if (comparison.workloadDifferences.length > 0) {
    notes.push(`note: the workload changed (--allow-scenario-change): ${comparison.workloadDifferences.join(', ')}`);
  }
  if (comparison.onlyInBaseline.length > 0) notes.push(`note: only in the baseline, not compared: ${comparison.onlyInBaseline.join(', ')}`);
  if (comparison.onlyInCurrent.length > 0) notes.push(`note: not in the baseline, not compared: ${comparison.onlyInCurrent.join(', ')}`);
  return notes;
}

/** Describes each failed regression check in one line, for stderr. */
export function describeFailedChecks(comparison: Comparison): string[] {
  return comparison.checks
    .filter((check) => check.verdict === 'regression' || check.verdict === 'not-measured')
    .map((check) => `regression: ${check.transport} ${check.figure.name}: ${check.detail}`);
}
