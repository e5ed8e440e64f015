import { emitToParent } from './ipc.js';

/** Time given to the IPC channel to deliver the `crashed` event before the process exits, ms. */
const FLUSH_MS = 100;

/**
 * Makes an uncaught exception in a child end the child with exit code 1,
 * after a `crashed` event that sends rtbench the error, so the report
 * names the cause and not only the exit code. No stack trace reaches the
 * user's terminal.
 */
export function reportUncaughtExceptions(): void {
  process.on('uncaughtException', (error: Error) => {
    emitToParent('crashed', { message: `${error.name}: ${error.message}` });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), FLUSH_MS);
  });
}
