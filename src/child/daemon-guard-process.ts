/**
 * Entry point of the daemon guard, a small child process. rtbench starts
 * redis-server and nginx in their own process groups, so that Ctrl-C in a
 * terminal reaches only rtbench, which then stops them in order. If rtbench dies without doing so (SIGKILL, a crash),
 * the IPC channel closes and this process kills every daemon it guards and
 * removes their temporary folders.
 */
import { rmSync } from 'node:fs';
import { emitToParent, serveParentRequests } from './ipc.js';
import { ignoreTerminalInterrupt } from './ignore-terminal-signals.js';

interface Guarded {
  pid: number;
  folder?: string;
}

const guarded = new Map<number, Guarded>();

function killGroup(pid: number): void {
  try {
    // A negative pid signals the whole process group: nginx's workers too.
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function cleanUpAll(): void {
  for (const daemon of guarded.values()) {
    killGroup(daemon.pid);
    if (daemon.folder) rmSync(daemon.folder, { recursive: true, force: true });
  }
  guarded.clear();
  process.exit(0);
}

ignoreTerminalInterrupt();
serveParentRequests(
  {
    guard: (daemon: Guarded) => {
      guarded.set(daemon.pid, daemon);
    },
    release: (params: { pid: number }) => {
      guarded.delete(params.pid);
    },
    shutdown: () => {
      guarded.clear();
      process.exit(0);
    },
  },
  cleanUpAll,
);
emitToParent('ready', { pid: process.pid });
