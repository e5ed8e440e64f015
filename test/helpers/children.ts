import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live child processes of this process whose command line contains `script`. */
export function childPidsRunning(script: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [state, parentPid] = [fields[0], Number(fields[1])];
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parentPid === process.pid && state !== 'Z' && commandLine.includes(script)) pids.push(Number(entry));
    } catch {
      // The process ended while it was being read.
    }
  }
  return pids;
}
