import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

/** V8 heap figures that explain a process's RSS after a forced garbage collection. */
export interface HeapSample {
  heapUsedBytes: number;
  /**
   * Resident size of V8's young generation (new space). A full GC empties
   * it, but its pages stay resident and grow with the allocation rate, not
   * with the live connections, so per-connection memory leaves it out.
   */
  youngGenerationBytes: number;
}

export function sampleHeap(): HeapSample {
  let young = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space' || space.space_name === 'new_large_object_space') young += space.physical_space_size;
  }
  // Not process.memoryUsage(): it also reads the RSS from /proc/self/stat,
  // which fails with EMFILE once the process uses all its descriptors.
  return { heapUsedBytes: getHeapStatistics().used_heap_size, youngGenerationBytes: young };
}

/** Runs a full garbage collection twice (one pass can leave objects that weak references kept). Needs --expose-gc. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}
