import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Pids of live redis-server and nginx processes that rtbench started.
 * Both rewrite their process title and their environment, so they are
 * found by their temporary folder instead: redis-server runs in its
 * rtbench-redis- folder, nginx workers run in their rtbench-nginx- folder
 * (working_directory), and the nginx master's title keeps its -p argument.
 */
export function rtbenchDaemonPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (isRtbenchDaemon(entry)) pids.push(Number(entry));
  }
  return pids;
}

function isRtbenchDaemon(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!/redis-server|nginx/.test(commandLine)) return false;
    const folder = readlinkSync(`/proc/${pid}/cwd`);
    return /rtbench-(redis|nginx)-/.test(`${folder} ${commandLine}`);
  } catch {
    // The process ended while it was being read.
    return false;
  }
}
