import { describe, expect, it } from 'vitest';
import { InvalidExpressionError } from '../src/errors.js';
import { evaluateThresholds, parseThreshold } from '../src/report/thresholds.js';
import { makeReport, makeResult } from './helpers/report-factory.js';

describe('threshold grammar, valid expressions', () => {
  const cases: Array<[string, { target: string; figure: string; operator: string; limit: number }]> = [
    ['websocket.latency.p99 < 150ms', { target: 'websocket', figure: 'latency.p99', operator: '<', limit: 150 }],
    ['*.messages.lost == 0', { target: '*', figure: 'messages.lost', operator: '==', limit: 0 }],
    ['sse.server.memoryPerConnection < 16KB', { target: 'sse', figure: 'server.memoryPerConnection', operator: '<', limit: 16 * 1024 }],
    ['long-polling.throughput.deliveredPerSec > 5000/s', { target: 'long-polling', figure: 'throughput.deliveredPerSec', operator: '>', limit: 5000 }],
    ['ws.latencyMs.p99<=0.2s', { target: 'websocket', figure: 'latency.p99', operator: '<=', limit: 200 }],
    ['poll.server.memoryPerConnectionBytes >= 1.5 MB', { target: 'long-polling', figure: 'server.memoryPerConnection', operator: '>=', limit: 1.5 * 1024 * 1024 }],
    ['latency.p50 != 3', { target: '*', figure: 'latency.p50', operator: '!=', limit: 3 }],
    ['  sse.server.cpu < 80%  ', { target: 'sse', figure: 'server.cpu', operator: '<', limit: 80 }],
    ['websocket.clients.notConnected == 0', { target: 'websocket', figure: 'clients.notConnected', operator: '==', limit: 0 }],
  ];

  for (const [expression, expected] of cases) {
    it(`parses ${expression.trim()}`, () => {
      const threshold = parseThreshold(expression);

      expect(threshold.target).toBe(expected.target);
      expect(threshold.figure.name).toBe(expected.figure);
      expect(threshold.operator).toBe(expected.operator);
      expect(threshold.limit).toBeCloseTo(expected.limit, 9);
      expect(threshold.expression).toBe(expression.trim());
    });
  }
});

describe('threshold grammar, units', () => {
  it('converts seconds to milliseconds', () => {
    expect(parseThreshold('ws.latency.p99 < 1.5s').limit).toBe(1500);
  });

  it('reads a bare number in the base unit', () => {
    expect(parseThreshold('ws.latency.p99 < 250').limit).toBe(250);
    expect(parseThreshold('ws.server.memoryPerConnection < 2048').limit).toBe(2048);
  });

  it('reads KB and MB as binary multiples', () => {
    expect(parseThreshold('ws.server.memoryPerConnection < 1KB').limit).toBe(1024);
    expect(parseThreshold('ws.server.rssPeak < 2MB').limit).toBe(2 * 1024 * 1024);
    expect(parseThreshold('ws.server.rssPeak < 2MiB').limit).toBe(2 * 1024 * 1024);
  });

  it('accepts a space between number and unit', () => {
    expect(parseThreshold('ws.latency.p99 < 20 ms').limit).toBe(20);
  });
});

describe('threshold grammar, invalid with position', () => {
  const cases: Array<[string, number, string]> = [
    ['websocket.latency.p99 <> 200ms', 24, 'expected a number'],
    ['websocket.latency.p99 200ms', 23, 'expected an operator'],
    ['websocket.latency.p100 < 1s', 11, 'unknown figure "latency.p100"'],
    ['carrier-pigeon.latency.p99 < 1s', 1, 'unknown transport or figure "carrier-pigeon.latency.p99"'],
    ['websocket.latency.p99 < 200KB', 28, 'unit "KB" does not fit latency.p99, which is a time: use ms or s'],
    ['sse.server.memoryPerConnection < 16ms', 36, 'unit "ms" does not fit server.memoryPerConnection, which is a bytes'],
    ['sse.messages.lost == 0/s', 23, 'unit "/s" does not fit messages.lost'],
    ['websocket.latency.p99 < 200 parsecs', 29, 'unknown unit "parsecs"'],
    ['websocket.latency.p99 < 200ms extra', 31, 'expected the end of the expression'],
    ['websocket.latency.p99 < -5ms', 25, 'expected a number'],
    ['websocket. < 1s', 11, 'expected a name after "."'],
    ['websocket < 1s', 10, 'expected "." and a figure after "websocket"'],
    ['', 1, 'expected a transport or figure name'],
    ['websocket.latency.p99 <', 24, 'expected a number, found the end'],
  ];

  for (const [expression, column, message] of cases) {
    it(`rejects "${expression}" at column ${column}`, () => {
      let error: unknown;
      try {
        parseThreshold(expression);
      } catch (caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(InvalidExpressionError);
      expect((error as InvalidExpressionError).column).toBe(column);
      expect((error as InvalidExpressionError).message).toContain(message);
      expect((error as InvalidExpressionError).message).toContain(`at column ${column}`);
      expect((error as InvalidExpressionError).exitCode).toBe(2);
    });
  }
});

describe('threshold evaluation', () => {
  const report = makeReport([
    makeResult('sse', { latenciesMs: [5, 6, 7, 8, 300], memoryPerConnectionBytes: 20 * 1024 }),
    makeResult('websocket', { latenciesMs: [1, 2, 3, 4, 5], lost: 3 }),
  ]);

  it('fails a limit the figure exceeds', () => {
    const [outcome] = evaluateThresholds(report, [parseThreshold('sse.latency.p99 < 200ms')]);

    expect(outcome.passed).toBe(false);
    expect(outcome.measured).toBeCloseTo(300, 0);
    expect(outcome.detail).toBe('measured 300 ms, limit < 200ms');
  });

  it('expands * to every transport', () => {
    const outcomes = evaluateThresholds(report, [parseThreshold('*.messages.lost == 0')]);

    expect(outcomes.map((outcome) => [outcome.transport, outcome.passed])).toEqual([
      ['sse', true],
      ['websocket', false],
    ]);
  });

  it('compares bytes after unit conversion', () => {
    const [outcome] = evaluateThresholds(report, [parseThreshold('sse.server.memoryPerConnection < 16KB')]);

    expect(outcome.passed).toBe(false);
    expect(outcome.detail).toBe('measured 20.0 KiB, limit < 16KB');
  });

  it('fails a figure that was not measured', () => {
    const noMemory = makeReport([makeResult('sse', { memoryPerConnectionBytes: null })]);

    const [outcome] = evaluateThresholds(noMemory, [parseThreshold('sse.server.memoryPerConnection < 16KB')]);

    expect(outcome.passed).toBe(false);
    expect(outcome.measured).toBeNull();
    expect(outcome.detail).toContain('not measured');
  });

  it('fails latency without deliveries', () => {
    const silent = makeReport([makeResult('sse', { latenciesMs: [] })]);

    const [outcome] = evaluateThresholds(silent, [parseThreshold('sse.latency.p99 < 1s')]);

    expect(outcome.passed).toBe(false);
    expect(outcome.measured).toBeNull();
  });

  it('fails a transport missing from the report', () => {
    const [outcome] = evaluateThresholds(report, [parseThreshold('long-polling.messages.lost == 0')]);

    expect(outcome.passed).toBe(false);
    expect(outcome.detail).toContain('long-polling was not measured in this report');
  });
});
