import { ExitCode, type ExitCodeValue } from './cli/exit-codes.js';

/**
 * Base class of every error rtbench reports to a user. `code` is stable and
 * safe to match on; `message` is one line that names the value and the fix.
 */
export class RtbenchError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;

  constructor(code: string, message: string, exitCode: ExitCodeValue = ExitCode.RUN_FAILED) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** An invalid option or argument: nothing has been started yet. */
export class InvalidOptionError extends RtbenchError {
  constructor(message: string) {
    super('ERR_INVALID_OPTION', message, ExitCode.USAGE);
  }
}

/**
 * A scenario file that cannot be read or does not match the scenario
 * schema: one line per problem, each naming the file, the field, its value
 * and what is allowed. Nothing has been started yet.
 */
export class ScenarioError extends RtbenchError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('ERR_SCENARIO', problems.join('\n'), ExitCode.USAGE);
    this.problems = problems;
  }
}

/** A transport name that no transport folder registers. */
export class UnknownTransportError extends RtbenchError {
  constructor(name: string, known: readonly string[]) {
    super(
      'ERR_UNKNOWN_TRANSPORT',
      `unknown transport "${name}": use one of ${known.join(', ')}`,
      ExitCode.USAGE,
    );
  }
}

/** The process limits cannot hold the requested number of connections. */
export class ResourceLimitError extends RtbenchError {
  constructor(code: 'ERR_FD_LIMIT' | 'ERR_PORT_RANGE', message: string) {
    super(code, message, ExitCode.RESOURCE_LIMIT);
  }
}

/** A reference server or the load generator failed to start or died. */
export class ChildProcessError extends RtbenchError {
  constructor(message: string) {
    super('ERR_CHILD_PROCESS', message);
  }
}

/** A request to a child process got no reply in time. */
export class ChildTimeoutError extends RtbenchError {
  constructor(message: string) {
    super('ERR_CHILD_TIMEOUT', message);
  }
}

/** The listen port is taken by another process. */
export class PortInUseError extends RtbenchError {
  constructor(host: string, port: number) {
    super(
      'ERR_PORT_IN_USE',
      `port ${port} on ${host} is already in use: choose another with --port, or --port 0 for a free one`,
      ExitCode.RUN_FAILED,
    );
  }
}

/** The run was stopped by SIGINT or SIGTERM. */
export class InterruptedError extends RtbenchError {
  constructor(signal: string) {
    super('ERR_INTERRUPTED', `interrupted by ${signal}`, ExitCode.INTERRUPTED);
  }
}

/** An external program that the requested topology needs (redis-server, nginx) is not installed. */
export class ToolNotFoundError extends RtbenchError {
  constructor(message: string) {
    super('ERR_TOOL_NOT_FOUND', message, ExitCode.RUN_FAILED);
  }
}

/** The Redis bus between reference-server instances failed to start or went away during the run. */
export class BusError extends RtbenchError {
  constructor(code: 'ERR_BUS_START' | 'ERR_BUS_FAILED', message: string) {
    super(code, message, ExitCode.RUN_FAILED);
  }
}

/** The reverse proxy in front of the instances failed to start or exited during the run. */
export class ProxyError extends RtbenchError {
  constructor(message: string) {
    super('ERR_PROXY', message, ExitCode.RUN_FAILED);
  }
}

/** A --threshold or --max-regression expression that does not parse; names the 1-based column. */
export class InvalidExpressionError extends RtbenchError {
  constructor(
    kind: string,
    readonly expression: string,
    readonly column: number,
    problem: string,
  ) {
    super('ERR_INVALID_EXPRESSION', `invalid ${kind} "${expression}" at column ${column}: ${problem}`, ExitCode.USAGE);
  }
}

/** A report file that is missing, unreadable or not an rtbench report. */
export class ReportFileError extends RtbenchError {
  constructor(path: string, problem: string) {
    super('ERR_REPORT_FILE', `cannot use report ${path}: ${problem}`, ExitCode.USAGE);
  }
}

/** A baseline that measured another workload than the current report. */
export class ScenarioMismatchError extends RtbenchError {
  constructor(message: string) {
    super('ERR_SCENARIO_MISMATCH', message, ExitCode.USAGE);
  }
}
