import { DELTA_COLUMNS, deltaCells } from '../compare-table.js';
import type { Comparison, Verdict } from '../compare.js';
import { cellWithSpread, SECTIONS } from '../table.js';
import type { ThresholdOutcome } from '../thresholds.js';
import type { Report } from '../types.js';
import { escapeHtml } from './svg.js';

/** Renders the terminal's comparison table as HTML: the same sections, rows and cells. */
export function figuresTable(report: Report): string {
  const results = report.results;
  const head = `<tr><th></th>${results.map((result) => `<th scope="col">${escapeHtml(result.transport)}${result.status === 'completed' ? '' : ` (${escapeHtml(result.status)})`}</th>`).join('')}</tr>`;
  const body: string[] = [];
  for (const section of SECTIONS) {
    body.push(`<tr class="section"><th colspan="${results.length + 1}" scope="colgroup">${escapeHtml(section.title)}</th></tr>`);
    for (const row of section.rows) {
      const cells = results.map((result) => `<td>${escapeHtml(cellWithSpread(result, row))}</td>`).join('');
      body.push(`<tr><th scope="row">${escapeHtml(row.label)}</th>${cells}</tr>`);
    }
  }
  return `<table class="figures"><thead>${head}</thead><tbody>${body.join('\n')}</tbody></table>`;
}

export function thresholdsTable(outcomes: readonly ThresholdOutcome[]): string {
  const rows = outcomes.map((outcome) => {
    const verdict = outcome.passed ? '<td class="pass">pass</td>' : '<td class="fail">FAIL</td>';
    return `<tr>${verdict}<td><code>${escapeHtml(outcome.expression)}</code></td><td>${escapeHtml(outcome.transport)}</td><td>${escapeHtml(outcome.detail)}</td></tr>`;
  });
  return `<table class="thresholds"><thead><tr><th>result</th><th>threshold</th><th>transport</th><th>detail</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

export function comparisonTable(comparison: Comparison): string {
  const head = `<tr>${DELTA_COLUMNS.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>`;
  const rows = comparison.rows.map((row) => {
    const verdictClass = verdictClassFor(row.verdict);
    const cells = deltaCells(row).map((cell, index) => `<td${index === DELTA_COLUMNS.length - 1 && verdictClass ? ` class="${verdictClass}"` : ''}>${escapeHtml(cell)}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table class="comparison"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function verdictClassFor(verdict: Verdict): string {
  if (verdict === 'regression' || verdict === 'not-measured') return 'fail';
  if (verdict === 'pass') return 'pass';
  return '';
}
