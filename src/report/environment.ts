import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { EnvironmentInfo } from './types.js';

export function describeEnvironment(): EnvironmentInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cpuCount: cpuList.length,
    totalMemoryBytes: totalmem(),
    kernel: release(),
  };
}
