import type { CliIo } from '../../src/cli/io.js';

export interface FakeIo extends CliIo {
  out: string;
  err: string;
  /** Delivers a signal to the registered interrupt handler, as Ctrl-C would. */
  interrupt(signal: string): void;
}

/** A CliIo that records output, for running the CLI in-process. */
export function fakeIo(cwd: string, env: Record<string, string> = {}): FakeIo {
  let handler: ((signal: string) => void) | undefined;
  const io: FakeIo = {
    out: '',
    err: '',
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    env,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd,
    onInterrupt(next) {
      handler = next;
      return () => {
        handler = undefined;
      };
    },
    interrupt(signal) {
      handler?.(signal);
    },
  };
  return io;
}
