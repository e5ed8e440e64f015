import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { DAEMON_GUARD_ENTRY } from '../paths.js';
import { ManagedChild } from './child-process.js';

/** Lines of a daemon's output kept for error messages. */
const OUTPUT_TAIL_LINES = 20;

export interface DaemonOptions {
  /** Name for messages, for example "redis-server". */
  label: string;
  executable: string;
  args: string[];
  /** Temporary folder of the daemon, removed when it stops. */
  folder?: string;
  guard: DaemonGuard;
}

/**
 * The guard process that kills rtbench's daemons if rtbench itself dies
 * before stopping them (see daemon-guard-process.ts).
 */
export class DaemonGuard {
  private constructor(private readonly child: ManagedChild) {}

  static async start(): Promise<DaemonGuard> {
    const { child } = await ManagedChild.start(DAEMON_GUARD_ENTRY, [], { label: 'daemon guard' });
    return new DaemonGuard(child);
  }

  async guard(pid: number, folder: string | undefined): Promise<void> {
    await this.child.request('guard', { pid, folder }, 5000);
  }

  async release(pid: number): Promise<void> {
    if (this.child.isRunning()) await this.child.request('release', { pid }, 5000).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.child.stop();
  }
}

/**
 * An external server program (redis-server, nginx) run in its own process
 * group, so a terminal's Ctrl-C does not reach it before rtbench has
 * collected its figures. Keeps the last lines of its output for errors.
 */
export class Daemon {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  private readonly output: string[] = [];
  private exitReason: string | undefined;

  private constructor(private readonly options: DaemonOptions) {
    this.process = spawn(options.executable, options.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout?.on('data', (chunk: Buffer) => this.keepOutput(chunk));
    this.process.stderr?.on('data', (chunk: Buffer) => this.keepOutput(chunk));
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.exitReason ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      this.process.once('error', (error) => {
        this.exitReason = `failed to start: ${error.message}`;
        resolve();
      });
    });
  }

  /** Spawns the daemon and registers it with the guard. */
  static async spawn(options: DaemonOptions): Promise<Daemon> {
    const daemon = new Daemon(options);
    if (daemon.process.pid !== undefined) await options.guard.guard(daemon.process.pid, options.folder);
    return daemon;
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get label(): string {
    return this.options.label;
  }

  isRunning(): boolean {
    return this.exitReason === undefined;
  }

  /** The reason the daemon ended, or undefined while it runs. */
  get exitDescription(): string | undefined {
    return this.exitReason;
  }

  /** The last lines the daemon printed, joined with " | " for one-line messages. */
  outputTail(): string {
    return this.output.join(' | ');
  }

  /**
   * Sends `signal` to the daemon's process group, SIGKILLs the group if it
   * has not exited within `graceMs`, then removes its folder.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
    if (this.isRunning()) {
      this.signalGroup(signal);
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
      // nginx workers may still be exiting after the master is gone.
      this.signalGroup('SIGKILL');
    }
    if (this.options.folder) rmSync(this.options.folder, { recursive: true, force: true });
    await this.options.guard.release(this.pid);
  }

  /** Kills the daemon's process group at once, as a crash would. */
  kill(): void {
    this.signalGroup('SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.process.pid === undefined) return;
    try {
      process.kill(-this.process.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private keepOutput(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.output.push(line.trim());
      if (this.output.length > OUTPUT_TAIL_LINES) this.output.shift();
    }
  }
}
