import { DELTA_COLUMNS, deltaCells } from './compare-table.js';
import { FIGURES, formatFigure, readFigure } from './figures.js';
import type { GateResults } from './junit.js';
import { formatCount } from './format.js';
import type { Report } from './types.js';

/**
 * Renders a GitHub-flavoured Markdown summary: the key figures per
 * transport, the thresholds and the comparison with a baseline, each when
 * present. Written to --markdown and appended to GITHUB_STEP_SUMMARY.
 */
export function renderMarkdown(results: GateResults): string {
  const sections: string[] = [];
  if (results.report) sections.push(renderFigures(results.report));
  if (results.thresholds && results.thresholds.length > 0) sections.push(renderThresholds(results));
  if (results.comparison) sections.push(renderComparison(results));
  return `${sections.join('\n\n')}\n`;
}

function renderFigures(report: Report): string {
  const results = report.results;
  const settings = report.settings;
  const heading = `## rtbench: ${report.status}, ${formatCount(settings.clients)} clients per transport, ${settings.rate} msg/s, ${settings.durationSec} s window`;
  const scenario = `Scenario \`${report.scenario.name}\` (hash \`${report.scenario.hash}\`), ${settings.payloadBytes} B payload, started ${report.startedAt}.`;

  const rows = [
    ['clients connected / target', ...results.map((result) => `${formatCount(result.clients.connected)} / ${formatCount(result.clients.target)}`)],
    ...FIGURES.filter((figure) => figure.compared && figure.name !== 'clients.connected').map((figure) => [
      figure.label,
      ...results.map((result) => formatFigure(figure, readFigure(figure, result))),
    ]),
  ];
  return [heading, '', scenario, '', table(['figure', ...results.map((result) => result.transport)], rows)].join('\n');
}

function renderThresholds(results: GateResults): string {
  const outcomes = results.thresholds ?? [];
  const failed = outcomes.filter((outcome) => !outcome.passed).length;
  const heading = `### Thresholds: ${failed === 0 ? 'all passed' : `${failed} of ${outcomes.length} failed`}`;
  const rows = outcomes.map((outcome) => [outcome.passed ? '✅ pass' : '❌ fail', `\`${outcome.expression}\``, outcome.transport, outcome.detail]);
  return [heading, '', table(['result', 'threshold', 'transport', 'detail'], rows)].join('\n');
}

function renderComparison(results: GateResults): string {
  const comparison = results.comparison!;
  const regressions = comparison.checks.filter((check) => check.verdict === 'regression' || check.verdict === 'not-measured').length;
  const noise = comparison.checks.filter((check) => check.verdict === 'noise').length;
  const verdict = regressions > 0 ? `${regressions} regression${regressions === 1 ? '' : 's'}` : 'no regression';
  const heading = `### Compared with the baseline: ${verdict}${noise > 0 ? `, ${noise} within the spread of repeated runs` : ''}`;
  const lines = [heading, ''];
  if (comparison.workloadDifferences.length > 0) lines.push(`The workload changed: ${comparison.workloadDifferences.join(', ')}.`, '');
  lines.push(table([...DELTA_COLUMNS], comparison.rows.map(deltaCells)));
  return lines.join('\n');
}

function table(head: readonly string[], rows: readonly string[][]): string {
  const lines = [row(head), row(head.map(() => '---'))];
  for (const cells of rows) lines.push(row(cells));
  return lines.join('\n');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

/** Escapes pipes and line breaks, which would end the cell or the row. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
