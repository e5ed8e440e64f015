import type { Comparison } from '../compare.js';
import { describeBytes, describeRate } from '../format.js';
import type { Report } from '../types.js';
import { capacityChart, readCapacity } from './capacity-chart.js';
import { barChart, latencyChart } from './charts.js';
import { percentileDistribution } from './percentiles.js';
import { escapeHtml } from './svg.js';
import { comparisonTable, figuresTable, thresholdsTable } from './tables.js';

export interface HtmlOptions {
  /** Adds the delta table of a comparison with a baseline. */
  comparison?: Comparison;
}

/**
 * The page may load nothing: no script, font, image or stylesheet from
 * anywhere, so it opens offline and leaks nothing when shared. Browsers
 * enforce this policy even if a later change adds a link by mistake.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; margin: 24px auto; max-width: 1360px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.meta { color: #57606a; margin: 2px 0; } code { font: 12px ui-monospace, monospace; background: #f3f4f6; padding: 1px 4px; border-radius: 3px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; background: #fff; }
figcaption { font-weight: 600; margin-bottom: 4px; } .empty { color: #57606a; padding: 24px; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 11px; }
svg .grid { stroke: #e4e7eb; stroke-width: 1; } svg .tick { fill: #57606a; } svg .axis-label { fill: #1b1f24; font-size: 12px; }
svg .bar-name, svg .value { fill: #1b1f24; font-size: 12px; } svg .legend { font-size: 12px; font-weight: 600; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: 3px 10px; text-align: right; } th[scope=row], td:first-child { text-align: left; }
table.thresholds td, table.comparison td:nth-child(-n+3) { text-align: left; }
tr.section th { background: #f6f8fa; text-align: left; } .pass { color: #1a7f37; font-weight: 600; } .fail { color: #cf222e; font-weight: 700; }
`;

/** Renders the report as one self-contained HTML page: charts as inline SVG, tables, no external resource. */
export function renderHtmlReport(report: Report, options: HtmlOptions = {}): string {
  const title = `rtbench report, ${report.startedAt}`;
  const sections = [
    header(report),
    section('Latency by percentile', `<div class="charts">${report.results.map(latencyFigure).join('\n')}</div>`),
    section('Server memory per connection', memoryChart(report)),
    section('Delivered messages per second', throughputChart(report)),
    capacitySection(report),
    section('Figures', figuresTable(report)),
    report.thresholds && report.thresholds.length > 0 ? section('Thresholds', thresholdsTable(report.thresholds)) : '',
    options.comparison ? section('Compared with the baseline', comparisonTable(options.comparison)) : '',
    `<footer class="meta">Written by rtbench ${escapeHtml(report.tool.version)}. Latency percentiles are read from the HdrHistogram recorded in the report.</footer>`,
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...sections.filter((part) => part.length > 0),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function header(report: Report): string {
  const settings = report.settings;
  const environment = report.environment;
  return [
    `<header><h1>rtbench report: ${escapeHtml(report.status)}</h1>`,
    `<p class="meta">${escapeHtml(`${settings.clients.toLocaleString('en-US')} clients per transport, ${settings.rate} msg/s broadcast, ${settings.payloadBytes} B payload, ${settings.durationSec} s window, ${settings.repeat} run(s) each`)}</p>`,
    `<p class="meta">Scenario <code>${escapeHtml(report.scenario.name)}</code>, hash <code>${escapeHtml(report.scenario.hash)}</code>; started ${escapeHtml(report.startedAt)}, finished ${escapeHtml(report.finishedAt)}</p>`,
    `<p class="meta">Command: <code>${escapeHtml(report.command.join(' '))}</code></p>`,
    `<p class="meta">${escapeHtml(`Node ${environment.node} on ${environment.platform} ${environment.kernel}, ${environment.cpuCount} × ${environment.cpuModel}, ${describeBytes(environment.totalMemoryBytes)} memory`)}</p>`,
    '</header>',
  ].join('\n');
}

function section(title: string, content: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>\n${content}\n</section>`;
}

function latencyFigure(result: Report['results'][number]): string {
  const distribution = percentileDistribution(result.histogram);
  const body = distribution ? latencyChart(result.transport, distribution) : '<p class="empty">no latency samples: no message was delivered in the window</p>';
  return `<figure><figcaption>${escapeHtml(result.transport)}</figcaption>${body}</figure>`;
}

function memoryChart(report: Report): string {
  const bars = report.results.map((result) => ({ transport: result.transport, value: kibOrNull(result.server.memoryPerConnectionBytes) }));
  return barChart('memory-per-connection', 'Server memory per connection, KiB', bars, (kib) => describeBytes(kib * 1024), 'KiB per connection (RSS with clients idle − RSS before, per client)');
}

function kibOrNull(bytes: number | null): number | null {
  return bytes === null ? null : bytes / 1024;
}

function throughputChart(report: Report): string {
  const bars = report.results.map((result) => ({ transport: result.transport, value: result.status === 'failed' && result.messages.delivered === 0 ? null : result.throughput.deliveredPerSec }));
  return barChart('delivered-per-second', 'Delivered messages per second', bars, (value) => describeRate(value, 'msg/s'), 'messages delivered per second, all clients');
}

function capacitySection(report: Report): string {
  const capacity = readCapacity(report);
  return capacity ? section('Capacity', capacityChart(capacity)) : '';
}
