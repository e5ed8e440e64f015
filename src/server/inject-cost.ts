/**
 * Busy-waits `us` microseconds of wall-clock time: the artificial
 * per-message cost of `--inject-cost-us`. Measured on wall time, so the
 * cost stays the same when the process is descheduled during the wait.
 */
export function spinMicroseconds(us: number): void {
  if (us <= 0) return;
  const until = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < until) {
    // Busy-wait on purpose: this is the CPU a heavier server would spend.
  }
}
