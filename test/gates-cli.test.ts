import { XMLParser } from 'fast-xml-parser';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Report } from '../src/report/types.js';
import { fakeIo, type FakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-gates-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A tiny WebSocket run: 20 clients, a 1 s window. */
const TINY_RUN = ['run', '--transports', 'ws', '--clients', '20', '--rate', '5', '--duration', '1', '--warmup', '0.5', '--drain', '0.5', '--no-floor'];

const paths = {
  report: join(workDir, 'report.json'),
  junit: join(workDir, 'out.xml'),
  markdown: join(workDir, 'summary.md'),
  stepSummary: join(workDir, 'step-summary.md'),
  html: join(workDir, 'report.html'),
};

describe('rtbench run with a failed threshold', () => {
  let io: FakeIo;
  let code: number;

  beforeAll(async () => {
    writeFileSync(paths.stepSummary, 'previous step\n');
    // A terminal on both streams, but CI is set: colour and progress must stay off.
    io = fakeIo(workDir, { CI: 'true', GITHUB_STEP_SUMMARY: paths.stepSummary });
    io.stdoutIsTTY = true;
    io.stderrIsTTY = true;

    // No latency is below 1 µs, the histogram's lowest value, so the first threshold always fails.
    code = await main(
      [
        ...TINY_RUN,
        '--threshold', 'ws.latency.p99 < 0.001ms',
        '--threshold', '*.clients.notConnected == 0',
        '--junit', paths.junit,
        '--markdown', paths.markdown,
        '--html', paths.html,
        '--out', paths.report,
      ],
      io,
    );
  });

  it('exits with code 4', () => {
    expect(code).toBe(4);
  });

  it('prints expression, measured value and limit', () => {
    expect(io.err).toMatch(/^threshold failed: ws\.latency\.p99 < 0\.001ms \[websocket\]: measured \d+\.\d+ ms, limit < 0\.001ms$/m);
    expect(io.err).toMatch(/^threshold passed: \*\.clients\.notConnected == 0 \[websocket\]: measured 0, limit == 0$/m);
  });

  it('stores the outcomes in the report', () => {
    const report = JSON.parse(readFileSync(paths.report, 'utf8')) as Report;

    expect(report.thresholds?.map((outcome) => [outcome.expression, outcome.passed])).toEqual([
      ['ws.latency.p99 < 0.001ms', false],
      ['*.clients.notConnected == 0', true],
    ]);
    expect(report.scenario.name).toBe('command-line');
    expect(report.scenario.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('writes the failure into JUnit', () => {
    const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' });
    const root = parser.parse(readFileSync(paths.junit, 'utf8')).testsuites;

    expect(root['@_failures']).toBe('1');
    expect(root.testsuite[1].testcase[0].failure['@_message']).toMatch(/^measured .* ms, limit < 0\.001ms$/);
  });

  it('appends the Markdown to the step summary', () => {
    const markdown = readFileSync(paths.markdown, 'utf8');

    expect(markdown).toContain('### Thresholds: 1 of 2 failed');
    expect(readFileSync(paths.stepSummary, 'utf8')).toBe(`previous step\n${markdown}\n`);
  });

  it('prints no colour or progress in CI', () => {
    expect(io.out).toContain('Latency');
    expect(`${io.out}${io.err}`).not.toContain('\u001b[');
    expect(`${io.out}${io.err}`).not.toContain('\r');
  });

  it('lets rtbench report recheck the thresholds', async () => {
    const stored = fakeIo(workDir);
    const replaced = fakeIo(workDir);

    expect(await main(['report', paths.report, '--quiet'], stored)).toBe(4);
    expect(await main(['report', paths.report, '--quiet', '--threshold', '*.messages.lost == 0'], replaced)).toBe(0);
    expect(replaced.err).toBe('');
  });
});

describe('rtbench run --baseline', () => {
  it('compares with a baseline of the same workload', async () => {
    const io = fakeIo(workDir);
    const junit = join(workDir, 'baseline-check.xml');

    const code = await main([...TINY_RUN, '--baseline', paths.report, '--max-regression', 'latency.p99=100000%,messages.lost=1000', '--junit', junit, '--out', join(workDir, 'second.json')], io);

    expect(code).toBe(0);
    expect(io.out).toContain('Compared with the baseline:');
    const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' });
    const suites = parser.parse(readFileSync(junit, 'utf8')).testsuites.testsuite;
    expect(suites.map((suite: { '@_name': string }) => suite['@_name'])).toEqual(['rtbench.run', 'rtbench.regressions']);
    expect(suites[1].testcase.map((testCase: { '@_name': string }) => testCase['@_name'])).toEqual(['latency.p99 no worse than baseline', 'messages.lost no worse than baseline']);
  });

  it('rejects another workload before starting', async () => {
    const io = fakeIo(workDir);

    const code = await main(['run', '--transports', 'ws', '--clients', '21', '--baseline', paths.report, '--out', join(workDir, 'never.json')], io);

    expect(code).toBe(2);
    expect(io.err.trim()).toMatch(/^rtbench: baseline .* measured another workload .*clients 20 → 21.*--allow-scenario-change$/);
  });
});

describe('rtbench run gate option errors', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['threshold syntax', ['--threshold', 'ws.latency.p99 =< 1s'], /^rtbench: invalid threshold "ws\.latency\.p99 =< 1s" at column 16: expected an operator/],
    ['transport not run', ['--transports', 'sse', '--threshold', 'ws.latency.p99 < 1s'], /names websocket, which this run does not measure/],
    ['tolerance without baseline', ['--max-regression', 'latency.p99=10%'], /--max-regression needs --baseline/],
    ['missing baseline file', ['--baseline', 'no-such-report.json'], /cannot use report .*no-such-report\.json: file not found/],
  ];

  for (const [name, options, message] of cases) {
    it(`exits 2 on ${name}`, async () => {
      const io = fakeIo(workDir);

      const code = await main(['run', ...options, '--out', join(workDir, 'never.json')], io);

      expect(code).toBe(2);
      expect(io.err).toMatch(message);
      expect(io.err.trim().split('\n')).toHaveLength(1);
    });
  }

  it('documents exit codes 4 and 5', async () => {
    const io = fakeIo(workDir);

    expect(await main(['run', '--help'], io)).toBe(0);
    expect(io.out).toContain('4    a --threshold failed');
    expect(io.out).toContain('5    a figure regressed');
    expect(io.out).toContain('--threshold <expression>');
  });
});
