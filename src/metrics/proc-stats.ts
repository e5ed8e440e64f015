import { readdirSync, readFileSync } from 'node:fs';

/**
 * Memory and CPU of one process, read from /proc so that the figure belongs
 * to that process alone. Linux only: on other systems every reader returns
 * undefined and the report leaves the figure empty.
 */
export interface ProcessSample {
  /** Resident set size now, bytes (VmRSS). */
  rssBytes: number;
  /** Peak resident set size since the process started, bytes (VmHWM). */
  rssPeakBytes: number;
  /** User plus system CPU time since the process started, nanoseconds. */
  cpuNs: number;
  /** When the sample was taken, process.hrtime.bigint() of the reader. */
  atNs: bigint;
}

let clockTicksPerSecond = 100;

/**
 * Sets USER_HZ, the unit of utime and stime in /proc/<pid>/stat. It is 100 on
 * every Linux architecture Node runs on; the setter exists for tests.
 */
export function setClockTicksPerSecond(ticks: number): void {
  clockTicksPerSecond = ticks;
}

function readStatusKb(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Parses utime + stime (fields 14 and 15 of proc(5) stat) into nanoseconds. */
export function parseStatCpuNs(stat: string): number {
  // The command name (field 2) may contain spaces and parentheses, so
  // count fields from the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return ((utime + stime) * 1e9) / clockTicksPerSecond;
}

export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rssBytes = readStatusKb(status, 'VmRSS');
    const rssPeakBytes = readStatusKb(status, 'VmHWM');
    if (rssBytes === undefined || rssPeakBytes === undefined) return undefined;
    return { rssBytes, rssPeakBytes, cpuNs: parseStatCpuNs(stat), atNs: process.hrtime.bigint() };
  } catch {
    return undefined;
  }
}

/** CPU used between two samples as a percentage of one core (200% is two full cores). */
export function cpuPercentBetween(first: ProcessSample, second: ProcessSample): number {
  const wallNs = Number(second.atNs - first.atNs);
  if (wallNs <= 0) return 0;
  return ((second.cpuNs - first.cpuNs) / wallNs) * 100;
}

/** Reads the soft limit on open file descriptors of this process from /proc/self/limits. */
export function readOpenFilesLimit(): number | undefined {
  return readOpenFilesLimits()?.soft;
}

/** Reads the soft and hard limits on open file descriptors of this process (RLIMIT_NOFILE) from /proc/self/limits. */
export function readOpenFilesLimits(): { soft: number; hard: number } | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
    if (!match) return undefined;
    return { soft: parseLimit(match[1]), hard: parseLimit(match[2]) };
  } catch {
    return undefined;
  }
}

function parseLimit(text: string): number {
  return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
}

/** Reads the ephemeral port range [low, high] from net.ipv4.ip_local_port_range. */
export function readEphemeralPortRange(): [number, number] | undefined {
  try {
    const text = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim();
    const [low, high] = text.split(/\s+/).map(Number);
    if (!Number.isInteger(low) || !Number.isInteger(high)) return undefined;
    return [low, high];
  } catch {
    return undefined;
  }
}

/** Counts the open descriptors of a process and reads its soft limit, from /proc/<pid>/fd and /proc/<pid>/limits. */
export function readDescriptorUsage(pid: number): { open: number; limit: number } | undefined {
  try {
    const open = readdirSync(`/proc/${pid}/fd`).length;
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    if (!match) return undefined;
    return { open, limit: parseLimit(match[1]) };
  } catch {
    return undefined;
  }
}
