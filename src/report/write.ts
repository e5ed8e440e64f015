import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Report } from './types.js';

/**
 * Writes a file atomically: to a temporary file in the same folder, then a
 * rename, so a reader never sees a half-written report even when rtbench is
 * killed while writing.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The default report path: reports/rtbench-<timestamp>.json under the current folder. */
export function defaultReportPath(startedAt: string, folder = 'reports'): string {
  const stamp = startedAt.replace(/[:.]/g, '-');
  return join(folder, `rtbench-${stamp}.json`);
}

export async function writeReport(path: string, report: Report): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
}
