import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../src/cli/commands/run.js';
import { ExitCode } from '../src/cli/exit-codes.js';
import { emptyResult } from '../src/driver/result-builder.js';
import type { Report } from '../src/report/types.js';

function report(status: Report['status'], saturated: boolean): Report {
  const result = emptyResult('sse', 'undici', 10);
  result.status = status;
  result.generator.saturated = saturated;
  return { status, results: [result] } as Report;
}

describe('exitCodeFor', () => {
  it('returns 0 for a completed run', () => {
    expect(exitCodeFor(report('completed', false), true)).toBe(ExitCode.OK);
  });

  it('returns 3 for a saturated generator only with --strict', () => {
    expect(exitCodeFor(report('completed', true), true)).toBe(ExitCode.GENERATOR_SATURATED);
    expect(exitCodeFor(report('completed', true), false)).toBe(ExitCode.OK);
  });

  it('returns 1 for a failed run and 130 for an interrupted one', () => {
    expect(exitCodeFor(report('failed', false), false)).toBe(ExitCode.RUN_FAILED);
    expect(exitCodeFor(report('interrupted', false), false)).toBe(ExitCode.INTERRUPTED);
  });
});
