import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareReports } from '../src/report/compare.js';
import { describeMs } from '../src/report/format.js';
import { renderHtmlReport, type HtmlOptions } from '../src/report/html/page.js';
import { evaluateThresholds, parseThreshold } from '../src/report/thresholds.js';
import { parseTolerances } from '../src/report/tolerances.js';
import type { Report } from '../src/report/types.js';
import { CHROMIUM_AVAILABLE, CHROMIUM_PATH, launchChromium, type Chromium } from './helpers/chromium.js';
import { latencyRamp, makeReport, makeResult } from './helpers/report-factory.js';

/** Where the test leaves its screenshot, for a person to look at. */
const SCREENSHOT = join(tmpdir(), 'rtbench-html-report.png');

if (!CHROMIUM_AVAILABLE) process.stderr.write(`html-report.test.ts: skipped, ${CHROMIUM_PATH} not found (install Debian's chromium package)\n`);

let workDir: string;

/** Three transports with a body of fast deliveries and a slow tail, like a real run. */
function sampleReport(): Report {
  const report = makeReport([
    makeResult('long-polling', { latenciesMs: [...latencyRamp(2, 6, 9900), ...latencyRamp(20, 80, 100)], memoryPerConnectionBytes: 14_000, deliveredPerSec: 9_800 }),
    makeResult('sse', { latenciesMs: [...latencyRamp(1, 4, 9900), ...latencyRamp(10, 40, 100)], memoryPerConnectionBytes: 9_000, deliveredPerSec: 10_000 }),
    makeResult('websocket', { latenciesMs: [...latencyRamp(0.5, 3, 9900), ...latencyRamp(5, 30, 100)], memoryPerConnectionBytes: 6_500, deliveredPerSec: 10_000 }),
  ]);
  report.thresholds = evaluateThresholds(report, [parseThreshold('*.latency.p99 < 5ms'), parseThreshold('sse.server.memoryPerConnection < 8KB')]);
  return report;
}

function withCapacity(report: Report): Report {
  const curve = (transport: string, slope: number) => ({
    transport,
    points: [1000, 2000, 4000, 8000, 16000].map((load) => ({ load, latencyP99Ms: 2 + (load / 1000) ** 2 * slope, passed: 2 + (load / 1000) ** 2 * slope <= 250 })),
  });
  return Object.assign(report, { capacity: { dimension: 'clients', curves: [curve('long-polling', 1.5), curve('sse', 0.8), curve('websocket', 0.5)] } });
}

interface ChartInfo {
  kind: string;
  width: number;
  height: number;
  /** Data marks (bars, dots, lines) with a non-empty box. */
  drawnMarks: number;
  marks: number;
}

async function openPage(chromium: Chromium, html: string, name: string): Promise<{ page: Page; requests: string[]; errors: string[]; url: string }> {
  const path = join(workDir, name);
  writeFileSync(path, html);
  const url = pathToFileURL(path).href;
  const page = await chromium.context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, errors, url };
}

function readCharts(page: Page): Promise<ChartInfo[]> {
  return page.$$eval('svg.chart', (charts) =>
    charts.map((chart) => {
      const box = chart.getBoundingClientRect();
      const marks = [...chart.querySelectorAll<SVGGraphicsElement>('.mark')];
      const drawn = marks.filter((mark) => {
        const markBox = mark.getBBox();
        return markBox.width > 0 || markBox.height > 0;
      });
      return { kind: chart.getAttribute('data-chart') ?? '', width: box.width, height: box.height, drawnMarks: drawn.length, marks: marks.length };
    }),
  );
}

describe.skipIf(!CHROMIUM_AVAILABLE)('HTML report in headless Chromium', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'rtbench-html-'));
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('draws every chart with data', async () => {
    const report = withCapacity(sampleReport());
    const baseline = sampleReport();
    const options: HtmlOptions = { comparison: compareReports(baseline, report, { tolerances: parseTolerances('latency.p99=20%'), allowScenarioChange: false, baselineName: 'baseline.json' }) };
    const { page, requests, errors, url } = await openPage(chromium, renderHtmlReport(report, options), 'full.html');

    const charts = await readCharts(page);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(charts.map((chart) => chart.kind)).toEqual(['latency', 'latency', 'latency', 'memory-per-connection', 'delivered-per-second', 'capacity']);
    for (const chart of charts) {
      expect(chart.width, chart.kind).toBeGreaterThan(100);
      expect(chart.height, chart.kind).toBeGreaterThan(50);
      expect(chart.marks, chart.kind).toBeGreaterThan(0);
      expect(chart.drawnMarks, chart.kind).toBe(chart.marks);
    }
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('plots the percentiles of the histogram', async () => {
    const report = sampleReport();
    const { page } = await openPage(chromium, renderHtmlReport(report), 'percentiles.html');

    const tooltips = await page.$$eval('svg[data-chart="latency"]', (charts) => charts.map((chart) => [...chart.querySelectorAll('circle.mark title')].map((title) => title.textContent)));

    expect(tooltips).toHaveLength(3);
    report.results.forEach((result, index) => {
      expect(tooltips[index]).toContain(`p50: ${describeMs(result.latencyMs.p50)}`);
      expect(tooltips[index]).toContain(`p99: ${describeMs(result.latencyMs.p99)}`);
      expect(tooltips[index]).toContain(`p99.9: ${describeMs(result.latencyMs.p999)}`);
    });
    await page.close();
  });

  it('shows the tables', async () => {
    const { page } = await openPage(chromium, renderHtmlReport(sampleReport()), 'tables.html');

    const figureRows = await page.$$eval('table.figures tbody tr', (rows) => rows.length);
    const thresholdCells = await page.$$eval('table.thresholds tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent));

    expect(figureRows).toBeGreaterThan(30);
    expect(thresholdCells).toEqual(['FAIL', 'pass', 'pass', 'FAIL']);
    await page.close();
  });

  it('leaves out an absent capacity curve', async () => {
    const report = sampleReport();
    report.results[1].histogram = '';
    report.results[1].latencyMs = { ...report.results[1].latencyMs, count: 0 };
    report.results[1].server.memoryPerConnectionBytes = null;
    const { page, requests, errors, url } = await openPage(chromium, renderHtmlReport(report), 'no-capacity.html');

    const charts = await readCharts(page);
    const placeholder = await page.textContent('figure:nth-of-type(2) .empty');

    expect(charts.map((chart) => chart.kind)).toEqual(['latency', 'latency', 'memory-per-connection', 'delivered-per-second']);
    expect(charts.find((chart) => chart.kind === 'memory-per-connection')?.marks).toBe(2);
    expect(placeholder).toContain('no latency samples');
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
