/**
 * The CLI's view of the outside world. Commands write through it and never
 * touch process.stdout directly, so tests run the CLI in-process and read
 * what it printed.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Current working folder, for default report paths. */
  cwd: string;
  /** Registers a handler for SIGINT and SIGTERM; returns a function that removes it. */
  onInterrupt(handler: (signal: string) => void): () => void;
}

/**
 * A reader that stops early (`rtbench run --help | head`) closes the pipe.
 * The rest of the output is unwanted then, so exit quietly instead of
 * crashing on EPIPE.
 */
function exitOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
}

export function processIo(): CliIo {
  process.stdout.on('error', exitOnClosedPipe);
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    onInterrupt(handler) {
      const signals = ['SIGINT', 'SIGTERM'] as const;
      const listeners = signals.map((signal) => {
        const listener = () => handler(signal);
        process.on(signal, listener);
        return [signal, listener] as const;
      });
      return () => {
        for (const [signal, listener] of listeners) process.off(signal, listener);
      };
    },
  };
}

/**
 * Colour only on a terminal, and never with NO_COLOR (no-color.org: "when
 * present and not an empty string, prevents the addition of ANSI color") or
 * in CI.
 */
export function colorEnabled(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false') return false;
  return io.stdoutIsTTY;
}

/** Progress lines go to stderr, only on a terminal and not in CI. */
export function progressEnabled(io: CliIo): boolean {
  if (io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false') return false;
  return io.stderrIsTTY;
}
