/**
 * Every exit code rtbench returns, in one place. The README and `--help`
 * list the same table; CI jobs branch on these numbers, so never reuse one.
 * When several apply, the first in this order wins: 130, 1, 3, 4, 5.
 */
export const ExitCode = {
  /** The run finished and every check passed. */
  OK: 0,
  /** The run failed at run time (a server crashed, a socket failed to bind). */
  RUN_FAILED: 1,
  /** Invalid command line, expression, scenario or report file, or a baseline of another workload: nothing was started. */
  USAGE: 2,
  /** `--strict` was given and the load generator was saturated. */
  GENERATOR_SATURATED: 3,
  /** A --threshold failed, or its figure was not measured. */
  THRESHOLD_FAILED: 4,
  /** A figure got worse than the baseline by more than its --max-regression tolerance. */
  REGRESSION: 5,
  /** The machine's limits (file descriptors, ephemeral ports) are too low for the requested load. */
  RESOURCE_LIMIT: 6,
  /** Interrupted by SIGINT or SIGTERM; a partial report was written. */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_HELP = `Exit codes:
  0    run finished, all checks passed
  1    run failed (server crash, bind failure, I/O error)
  2    invalid option, expression or scenario, unreadable report, or a baseline
       of another workload; nothing was started
  3    --strict and the load generator was saturated
  4    a --threshold failed (or its figure was not measured)
  5    a figure regressed beyond its --max-regression tolerance against --baseline
  6    file-descriptor or ephemeral-port limit too low for the requested load
  130  interrupted (SIGINT/SIGTERM); a partial report was written
When several apply, the first of 130, 1, 3, 4, 5 is returned.`;
