import type { Comparison, FigureDelta } from './compare.js';
import type { ThresholdOutcome } from './thresholds.js';
import type { Report } from './types.js';

/** Parts of a CI summary, each optional. */
export interface GateResults {
  report?: Report;
  thresholds?: readonly ThresholdOutcome[];
  comparison?: Comparison;
}

interface TestCase {
  classname: string;
  name: string;
  /** Present when the case failed. */
  failure?: { type: string; message: string };
  /** Extra text CI viewers show with the case, e.g. why a difference counts as noise. */
  output?: string;
}

/**
 * Renders JUnit XML in the form Jenkins, GitLab and GitHub test reporters
 * read: one suite per kind of check, one test case per transport run, per
 * threshold and transport, and per regression check.
 */
export function renderJUnit(results: GateResults): string {
  const suites: Array<[string, TestCase[]]> = [];
  if (results.report) suites.push(['rtbench.run', runCases(results.report)]);
  if (results.thresholds) suites.push(['rtbench.thresholds', results.thresholds.map(thresholdCase)]);
  if (results.comparison) suites.push(['rtbench.regressions', results.comparison.checks.map(regressionCase)]);

  const total = suites.reduce((sum, [, cases]) => sum + cases.length, 0);
  const failures = suites.reduce((sum, [, cases]) => sum + cases.filter((testCase) => testCase.failure).length, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="rtbench" tests="${total}" failures="${failures}">`];
  for (const [name, cases] of suites) lines.push(...renderSuite(name, cases));
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function runCases(report: Report): TestCase[] {
  return report.results.map((result) => ({
    classname: 'rtbench.run',
    name: `${result.transport} run completed`,
    failure: result.status === 'completed' ? undefined : { type: result.status, message: result.error?.message ?? `the run ended with status ${result.status}` },
  }));
}

function thresholdCase(outcome: ThresholdOutcome): TestCase {
  return {
    classname: `rtbench.thresholds.${outcome.transport}`,
    name: outcome.expression,
    failure: outcome.passed ? undefined : { type: 'threshold', message: outcome.detail },
    output: outcome.passed ? outcome.detail : undefined,
  };
}

function regressionCase(check: FigureDelta): TestCase {
  const failed = check.verdict === 'regression' || check.verdict === 'not-measured';
  return {
    classname: `rtbench.regressions.${check.transport}`,
    name: `${check.figure.name} no worse than baseline`,
    failure: failed ? { type: check.verdict, message: check.detail } : undefined,
    output: failed ? undefined : check.detail,
  };
}

function renderSuite(name: string, cases: readonly TestCase[]): string[] {
  const failures = cases.filter((testCase) => testCase.failure).length;
  const lines = [`  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`];
  for (const testCase of cases) {
    const attributes = `classname="${escapeXml(testCase.classname)}" name="${escapeXml(testCase.name)}" time="0"`;
    if (!testCase.failure && !testCase.output) {
      lines.push(`    <testcase ${attributes}/>`);
      continue;
    }
    lines.push(`    <testcase ${attributes}>`);
    if (testCase.failure) {
      const message = escapeXml(testCase.failure.message);
      lines.push(`      <failure type="${escapeXml(testCase.failure.type)}" message="${message}">${message}</failure>`);
    }
    if (testCase.output) lines.push(`      <system-out>${escapeXml(testCase.output)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>');
  return lines;
}

/** Escapes text for XML content and attribute values, and drops the control characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
