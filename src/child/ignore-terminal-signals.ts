/**
 * Ctrl-C in a terminal sends SIGINT to the whole foreground process group,
 * children included. Children ignore it so that rtbench can collect their
 * figures for the partial report and then stop them. They still exit on
 * rtbench's shutdown request or when its IPC channel closes.
 */
export function ignoreTerminalInterrupt(): void {
  process.on('SIGINT', () => undefined);
}
