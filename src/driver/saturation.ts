/** The generator's own load over the measured window. */
export interface GeneratorLoad {
  eventLoopDelayP99Ms: number | null;
  /** Percent of one core. */
  cpuPercent: number | null;
  /** Share of the window the event loop was busy, 0 to 1. */
  eventLoopUtilization: number | null;
}

export interface SaturationLimits {
  maxGeneratorLagMs: number;
  maxGeneratorCpuPercent: number;
  /** Busy share of the event loop above which arriving messages queue, 0 to 1. */
  maxGeneratorUtilization: number;
}

/**
 * Decides whether the load generator, not the transport, limited the run.
 * A generator whose event loop lags or whose core is busy receives messages
 * late, so every latency it reports includes its own queueing.
 * Returns the reasons; an empty list means not saturated.
 */
export function saturationReasons(load: GeneratorLoad, limits: SaturationLimits): string[] {
  const reasons: string[] = [];
  if (load.eventLoopDelayP99Ms !== null && load.eventLoopDelayP99Ms > limits.maxGeneratorLagMs) {
    reasons.push(
      `generator event-loop delay p99 ${load.eventLoopDelayP99Ms.toFixed(1)} ms exceeds ${limits.maxGeneratorLagMs} ms`,
    );
  }
  if (load.cpuPercent !== null && load.cpuPercent > limits.maxGeneratorCpuPercent) {
    reasons.push(
      `generator CPU ${load.cpuPercent.toFixed(0)}% of one core exceeds ${limits.maxGeneratorCpuPercent}%`,
    );
  }
  if (load.eventLoopUtilization !== null && load.eventLoopUtilization > limits.maxGeneratorUtilization) {
    // A loop busy most of the time makes each arriving message wait for the
    // work ahead of it, even when no single task is long enough to show up
    // as event-loop delay.
    reasons.push(
      `generator event loop busy ${(load.eventLoopUtilization * 100).toFixed(0)}% of the window, above ${(limits.maxGeneratorUtilization * 100).toFixed(0)}%`,
    );
  }
  return reasons;
}
