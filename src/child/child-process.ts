import { fork, type ChildProcess } from 'node:child_process';
import { ExitCode, type ExitCodeValue } from '../cli/exit-codes.js';
import { ChildProcessError, ChildTimeoutError, RtbenchError } from '../errors.js';
import type { IpcEvent, IpcMessage, IpcResponse } from './ipc.js';

/**
 * Extra Node.js flags for every child, from RTBENCH_CHILD_NODE_ARGS
 * (space-separated), for profiling: NODE_OPTIONS does not accept
 * --cpu-prof.
 */
function extraNodeArgs(): string[] {
  return (process.env.RTBENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((arg) => arg.length > 0);
}

interface PendingRequest {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ForkOptions {
  /** Label for error messages, for example "websocket server". */
  label: string;
  /** How long to wait for the child's `ready` event, ms. */
  readyTimeoutMs?: number;
}

/**
 * A child process of rtbench (a reference server or the load generator) that
 * serves requests over IPC. Children run with --expose-gc so that memory is
 * sampled after a forced garbage collection.
 */
export class ManagedChild {
  readonly process: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly eventListeners = new Map<string, ((data: any) => void)[]>();
  private exitReason: string | undefined;
  /** The error the child reported in a `crashed` event just before it died. */
  private crashMessage: string | undefined;
  private stopping = false;
  private readonly exited: Promise<void>;

  private constructor(modulePath: string, argv: string[], private readonly label: string) {
    this.process = fork(modulePath, argv, {
      execArgv: ['--expose-gc', ...extraNodeArgs()],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.process.on('message', (message: IpcMessage) => this.handleMessage(message));
    this.on('crashed', (data: { message: string }) => {
      this.crashMessage = data.message;
    });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (this.crashMessage) this.exitReason += ` after an uncaught ${this.crashMessage}`;
        this.failPending(new ChildProcessError(`${this.label} ${this.exitReason}`));
        resolve();
      });
    });
    this.process.on('error', (error) => {
      this.exitReason = error.message;
    });
  }

  /** Forks the module and waits for its `ready` event, whose data it returns. */
  static async start<Ready>(modulePath: string, argv: string[], options: ForkOptions): Promise<{ child: ManagedChild; ready: Ready }> {
    const child = new ManagedChild(modulePath, argv, options.label);
    const ready = await child.waitForEvent<Ready>('ready', options.readyTimeoutMs ?? 15_000);
    return { child, ready };
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** The reason the child ended, or undefined while it runs. */
  get exitDescription(): string | undefined {
    return this.exitReason;
  }

  isRunning(): boolean {
    return this.exitReason === undefined;
  }

  /** True once stop() or killNow() was called: an exit after that is expected, not a crash. */
  get stopRequested(): boolean {
    return this.stopping;
  }

  request<Result>(method: string, params: unknown = {}, timeoutMs = 30_000): Promise<Result> {
    if (!this.isRunning() || !this.process.connected) {
      return Promise.reject(new ChildProcessError(`${this.label} is not running (${this.exitReason ?? 'disconnected'})`));
    }
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ChildTimeoutError(`${this.label} did not answer "${method}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.process.send({ kind: 'request', id, method, params });
    });
  }

  on(event: string, listener: (data: any) => void): void {
    const list = this.eventListeners.get(event) ?? [];
    list.push(listener);
    this.eventListeners.set(event, list);
  }

  /**
   * Stops the child: sends it a shutdown request, then SIGKILLs it if it has
   * not exited within `graceMs`. Resolves once the process is gone.
   */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    if (this.isRunning()) {
      if (this.process.connected) {
        this.process.send({ kind: 'request', id: 0, method: 'shutdown', params: {} });
      }
      const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** Kills the child at once; for exit paths that cannot wait. */
  killNow(): void {
    this.stopping = true;
    if (this.isRunning()) this.process.kill('SIGKILL');
  }

  private waitForEvent<Data>(name: string, timeoutMs: number): Promise<Data> {
    return new Promise<Data>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.killNow();
        reject(new ChildTimeoutError(`${this.label} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on(name, (data: Data) => {
        clearTimeout(timer);
        resolve(data);
      });
      this.on('failed', (data: { code: string; message: string; exitCode?: number }) => {
        clearTimeout(timer);
        reject(new RtbenchError(data.code, data.message, (data.exitCode as ExitCodeValue) ?? ExitCode.RUN_FAILED));
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new ChildProcessError(`${this.label} ${this.exitReason} before it was ready`));
      });
    });
  }

  private handleMessage(message: IpcMessage): void {
    if (message?.kind === 'response') this.settle(message);
    if (message?.kind === 'event') this.dispatchEvent(message);
  }

  private settle(response: IpcResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    clearTimeout(pending.timer);
    if (response.error) {
      const { code, message, exitCode } = response.error;
      pending.reject(new RtbenchError(code, message, exitCode ?? ExitCode.RUN_FAILED));
    } else {
      pending.resolve(response.result);
    }
  }

  private dispatchEvent(event: IpcEvent): void {
    for (const listener of this.eventListeners.get(event.name) ?? []) listener(event.data);
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}
