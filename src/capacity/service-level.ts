import type { TransportResult } from '../report/types.js';
import type { CapacityStep, ServiceLevel } from './types.js';

export const DEFAULT_SERVICE_LEVEL: ServiceLevel = { maxP99Ms: 250, maxLost: 0, allowSaturatedGenerator: false };

/** Lists why a run misses the service level; the list is empty when it meets it. */
export function serviceLevelFailures(result: TransportResult, level: ServiceLevel): string[] {
  if (result.status !== 'completed') return [`run ${result.status}: ${result.error?.message ?? 'no reason recorded'}`];

  const failures: string[] = [];
  if (result.clients.failed > 0) failures.push(`${result.clients.failed} clients failed to connect`);
  if (result.latencyMs.count === 0) failures.push('no message delivered in the window');
  if (result.latencyMs.p99 > level.maxP99Ms) failures.push(`p99 ${result.latencyMs.p99.toFixed(1)} ms above ${level.maxP99Ms} ms`);
  if (result.messages.lost > level.maxLost) failures.push(`${result.messages.lost} messages lost, more than ${level.maxLost}`);
  if (result.generator.saturated && !level.allowSaturatedGenerator) {
    failures.push(`load generator saturated (${result.generator.saturationReasons.join('; ')})`);
  }
  return failures;
}

/** Builds the point of the capacity curve that one run gives. */
export function capacityStep(load: number, result: TransportResult, level: ServiceLevel): CapacityStep {
  const failures = serviceLevelFailures(result, level);
  return {
    load,
    passed: failures.length === 0,
    failures,
    latencyP50Ms: result.latencyMs.p50,
    latencyP99Ms: result.latencyMs.p99,
    deliveredPerSec: result.throughput.deliveredPerSec,
    lost: result.messages.lost,
    serverCpuPercent: result.server.cpuPercent,
    serverRssPeakBytes: result.server.rssPeakBytes,
    generatorSaturated: result.generator.saturated,
  };
}
