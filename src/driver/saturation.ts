/** The generator's own load over the measured window. */
export interface GeneratorLoad {
  eventLoopDelayP99Ms: number | null;
  /** Percent of one core. */
  cpuPercent: number | null;
}

export interface SaturationLimits {
  maxGeneratorLagMs: number;
  maxGeneratorCpuPercent: number;
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
  return reasons;
}
