import { Command, CommanderError } from 'commander';
import { RtbenchError } from '../errors.js';
import { TOOL_VERSION } from '../paths.js';
import { proxyConfigCommand } from './commands/proxy-config.js';
import { capacityCommand } from './commands/capacity.js';
import { compareCommand } from './commands/compare.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { scenariosCommand } from './commands/scenarios.js';
import { serveCommand } from './commands/serve.js';
import { ExitCode, EXIT_CODE_HELP, type ExitCodeValue } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';

/** Builds the command tree; `setExitCode` receives each command's result. */
export function buildProgram(io: CliIo, argv: readonly string[], setExitCode: (code: ExitCodeValue) => void): Command {
  const program = new Command('rtbench')
    .description('Compare long polling, Server-Sent Events and WebSockets under the same real-time workload, with measured latency, memory and throughput.')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .exitOverride();

  program.addCommand(runCommand(io, argv, setExitCode));
  program.addCommand(serveCommand(io, setExitCode));
  program.addCommand(proxyConfigCommand(io, setExitCode));
  program.addCommand(scenariosCommand(io, setExitCode));
  program.addCommand(capacityCommand(io, argv, setExitCode));
  program.addCommand(compareCommand(io, setExitCode));
  program.addCommand(reportCommand(io, setExitCode));
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  }
  return program;
}

/**
 * Runs the CLI and returns the exit code instead of exiting, so tests can
 * call it in-process. Every failure becomes one line on stderr, never a
 * stack trace.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: ExitCodeValue = ExitCode.OK;
  const program = buildProgram(io, argv, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(io, error);
  }
}

function handleError(io: CliIo, error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version end with exit code 0; parse errors were already printed.
    if (error.exitCode === 0) return ExitCode.OK;
    return ExitCode.USAGE;
  }
  if (error instanceof RtbenchError) {
    // A scenario error lists one problem per line; each gets the prefix.
    for (const line of error.message.split('\n')) io.stderr(`rtbench: ${line}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`rtbench: unexpected error: ${message}\n`);
  if (io.env.RTBENCH_DEBUG) io.stderr(`${(error as Error).stack}\n`);
  return ExitCode.RUN_FAILED;
}
