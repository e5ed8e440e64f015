import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { compareReports } from '../src/report/compare.js';
import { renderJUnit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { evaluateThresholds, parseThreshold } from '../src/report/thresholds.js';
import { parseTolerances } from '../src/report/tolerances.js';
import { latencyRamp, makeReport, makeResult } from './helpers/report-factory.js';

function gateResults() {
  const baseline = makeReport([makeResult('sse'), makeResult('websocket')]);
  const current = makeReport([
    makeResult('sse', { latenciesMs: latencyRamp(1, 20, 1000) }),
    makeResult('websocket', { lost: 2 }),
  ]);
  // The `<` in the expressions must be escaped in XML.
  const thresholds = evaluateThresholds(current, [parseThreshold('*.latency.p99 < 12ms'), parseThreshold('websocket.messages.lost == 0')]);
  const comparison = compareReports(baseline, current, { tolerances: parseTolerances('latency.p99=20%'), allowScenarioChange: false, baselineName: 'baseline.json' });
  return { report: current, thresholds, comparison };
}

interface JUnitCase {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message': string; '@_type': string };
}

interface JUnitSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  testcase: JUnitCase[];
}

function parseJUnit(xml: string): { '@_tests': string; '@_failures': string; testsuite: JUnitSuite[] } {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' });
  return parser.parse(xml).testsuites;
}

describe('JUnit output', () => {
  it('is well-formed XML', () => {
    const xml = renderJUnit(gateResults());

    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('has one case per run, threshold and check', () => {
    const suites = parseJUnit(renderJUnit(gateResults())).testsuite;

    expect(suites.map((suite) => [suite['@_name'], suite.testcase.length])).toEqual([
      ['rtbench.run', 2],
      ['rtbench.thresholds', 3],
      ['rtbench.regressions', 2],
    ]);
  });

  it('marks failed thresholds and regressions', () => {
    const root = parseJUnit(renderJUnit(gateResults()));
    const thresholds = root.testsuite[1].testcase;
    const regressions = root.testsuite[2].testcase;

    expect(root['@_tests']).toBe('7');
    expect(root['@_failures']).toBe('3');
    expect(thresholds[0]).toMatchObject({ '@_name': '*.latency.p99 < 12ms', '@_classname': 'rtbench.thresholds.sse' });
    expect(thresholds[0].failure?.['@_message']).toMatch(/^measured 1\d\.\d ms, limit < 12ms$/);
    expect(thresholds[1].failure).toBeUndefined();
    expect(thresholds[2].failure?.['@_type']).toBe('threshold');
    expect(regressions[0]['@_classname']).toBe('rtbench.regressions.sse');
    expect(regressions[0].failure?.['@_type']).toBe('regression');
    expect(regressions[1].failure).toBeUndefined();
  });

  it('marks a failed transport run', () => {
    const results = gateResults();
    results.report.results[0].status = 'failed';
    results.report.results[0].error = { code: 'ERR_CHILD_PROCESS', message: 'reference server exited with code 1 & <signal>' };

    const run = parseJUnit(renderJUnit({ report: results.report })).testsuite[0].testcase;

    expect(run[0].failure?.['@_message']).toBe('reference server exited with code 1 & <signal>');
    expect(run[1].failure).toBeUndefined();
  });
});

describe('Markdown output', () => {
  function tables(markdown: string): Tokens.Table[] {
    return marked.lexer(markdown).filter((token): token is Tokens.Table => token.type === 'table');
  }

  it('parses into three tables', () => {
    const markdown = renderMarkdown(gateResults());

    const found = tables(markdown);

    expect(found).toHaveLength(3);
    expect(found[0].header.map((cell) => cell.text)).toEqual(['figure', 'sse', 'websocket']);
    expect(found[1].header.map((cell) => cell.text)).toEqual(['result', 'threshold', 'transport', 'detail']);
    expect(found[2].header.map((cell) => cell.text)).toEqual(['transport', 'figure', 'better', 'baseline', 'current', 'change', 'tolerance', 'verdict']);
  });

  it('keeps every row at full width', () => {
    for (const table of tables(renderMarkdown(gateResults()))) {
      for (const row of table.rows) expect(row).toHaveLength(table.header.length);
    }
  });

  it('states failures in headings and cells', () => {
    const markdown = renderMarkdown(gateResults());
    const [figures, thresholds, comparison] = tables(markdown);

    expect(markdown).toContain('### Thresholds: 2 of 3 failed');
    expect(markdown).toContain('### Compared with the baseline: 1 regression');
    expect(figures.rows.find((row) => row[0].text === 'messages lost')?.map((cell) => cell.text)).toEqual(['messages lost', '0', '2']);
    expect(thresholds.rows.map((row) => row[0].text)).toEqual(['❌ fail', '✅ pass', '❌ fail']);
    expect(comparison.rows.filter((row) => row[7].text === 'REGRESSION').map((row) => `${row[0].text} ${row[1].text}`)).toEqual(['sse latency p99']);
  });

  it('escapes a pipe inside a cell', () => {
    const results = gateResults();
    results.thresholds[0].detail = 'a | b';

    const [, thresholds] = tables(renderMarkdown(results));

    expect(thresholds.rows[0][3].text).toBe('a | b');
    expect(thresholds.rows[0]).toHaveLength(4);
  });
});
