import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, type DaemonGuard } from '../child/daemon.js';
import { findExecutable, findFreePort } from '../child/executables.js';
import { ProxyError, ToolNotFoundError } from '../errors.js';
import { sampleProcess, type ProcessSample } from '../metrics/proc-stats.js';
import type { TransportName } from '../transports/types.js';
import { planNginxWorkers, readHardOpenFilesLimit, type NginxWorkerPlan } from './nginx-capacity.js';
import { HEALTH_PATH, renderRunConfig } from './nginx-config.js';
import type { NginxMode, ProxyTimingSettings } from './nginx-locations.js';

export const NGINX_INSTALL_HINT = 'install it (apt-get install nginx, or brew install nginx)';

const HOST = '127.0.0.1';

/** How long nginx may take to respond on its health location, ms. */
const READY_TIMEOUT_MS = 10_000;

/** Ports tried when another process takes the free port first. */
const PORT_ATTEMPTS = 3;

/** Returns the path of nginx, or throws a ToolNotFoundError with install instructions. */
export function requireNginx(pathVariable: string | undefined = process.env.PATH): string {
  const path = findExecutable('nginx', pathVariable);
  if (!path) throw new ToolNotFoundError(`nginx not found on PATH: ${NGINX_INSTALL_HINT}, or run without --proxy`);
  return path;
}

export interface NginxStartOptions {
  guard: DaemonGuard;
  mode: NginxMode;
  transport: TransportName;
  /** host:port of every instance. */
  upstreams: readonly string[];
  /** Clients the run connects through nginx; sizes the workers. */
  clients: number;
  timing: ProxyTimingSettings;
  executable?: string;
}

/**
 * A real nginx in front of the instances of one transport run, started in
 * the foreground from a generated nginx.conf in a temporary folder that
 * also contains its pid file, error log and temp paths.
 */
export class NginxProxy {
  private stopping = false;

  private constructor(
    private readonly daemon: Daemon,
    readonly port: number,
    readonly plan: NginxWorkerPlan,
    private readonly folder: string,
  ) {}

  static async start(options: NginxStartOptions): Promise<NginxProxy> {
    const executable = options.executable ?? requireNginx();
    const plan = planNginxWorkers(options.clients, availableParallelism(), readHardOpenFilesLimit());
    let lastError: Error | undefined;

    for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      const folder = mkdtempSync(join(tmpdir(), 'rtbench-nginx-'));
      // When rtbench runs as root, nginx's workers run as nobody; they must
      // reach the temp paths, which the master creates and hands to them.
      chmodSync(folder, 0o755);
      const port = await findFreePort(HOST);
      const token = randomBytes(8).toString('hex');
      writeFileSync(join(folder, 'nginx.conf'), renderRunConfig({ ...options, listenHost: HOST, listenPort: port, folder, plan, healthToken: token }));

      const daemon = await Daemon.spawn({
        label: 'nginx',
        executable,
        // -e sets the error log before the configuration is read, so nginx
        // never opens its compiled-in log path (nginx 1.19.5 or later).
        args: ['-p', folder, '-c', join(folder, 'nginx.conf'), '-e', join(folder, 'error.log')],
        folder,
        guard: options.guard,
      });
      try {
        await waitForHealth(port, token, daemon, folder);
        return new NginxProxy(daemon, port, plan, folder);
      } catch (error) {
        lastError = error as Error;
        await daemon.stop('SIGKILL');
        if (!/Address already in use/.test(lastError.message)) break;
      }
    }
    throw lastError ?? new ProxyError('nginx failed to start');
  }

  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  get pid(): number {
    return this.daemon.pid;
  }

  isRunning(): boolean {
    return this.daemon.isRunning();
  }

  /** Calls `listener` once if nginx exits before stop(). */
  onExit(listener: (description: string) => void): void {
    void this.daemon.exited.then(() => {
      if (!this.stopping) listener(`nginx ${this.daemon.exitDescription}: ${readErrorLog(this.folder)}`);
    });
  }

  /** Memory and CPU of the master and every worker, summed. */
  sample(): ProcessSample | undefined {
    const samples = [this.pid, ...workerPids(this.pid)].map(sampleProcess).filter((sample) => sample !== undefined);
    if (samples.length === 0) return undefined;
    return {
      rssBytes: samples.reduce((total, sample) => total + sample.rssBytes, 0),
      rssPeakBytes: samples.reduce((total, sample) => total + sample.rssPeakBytes, 0),
      cpuNs: samples.reduce((total, sample) => total + sample.cpuNs, 0),
      atNs: process.hrtime.bigint(),
    };
  }

  /** Lines nginx logged at warn level or above during the run, and the last of them. */
  errorLogSummary(): { lines: number; last: string | undefined } {
    let lines: string[] = [];
    try {
      lines = readFileSync(join(this.folder, 'error.log'), 'utf8').split('\n').filter((line) => line.trim() !== '');
    } catch {
      // No error log yet: nginx logged nothing.
    }
    return { lines: lines.length, last: lines[lines.length - 1] };
  }

  /** Fast shutdown (SIGTERM): open streams are cut, which is what the run's end wants. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.daemon.stop('SIGTERM');
  }
}

/** Pids of the master's children (the workers), from /proc. */
function workerPids(masterPid: number): number[] {
  try {
    return readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Reads the last lines of nginx's error log, joined for a one-line message. */
function readErrorLog(folder: string): string {
  try {
    const lines = readFileSync(join(folder, 'error.log'), 'utf8').trim().split('\n');
    return lines.slice(-3).join(' | ') || 'no error logged';
  } catch {
    return 'no error log';
  }
}

async function waitForHealth(port: number, token: string, daemon: Daemon, folder: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!daemon.isRunning()) {
      throw new ProxyError(`nginx on ${HOST}:${port} ${daemon.exitDescription} before it was ready: ${readErrorLog(folder)} ${daemon.outputTail()}`.trim());
    }
    if ((await fetchHealth(port)) === token) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new ProxyError(`nginx on ${HOST}:${port} did not respond on ${HEALTH_PATH} within ${READY_TIMEOUT_MS} ms: ${readErrorLog(folder)}`);
}

/** Fetches the body of the health location; undefined when nothing responds or the response is not a 200. */
function fetchHealth(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = get({ host: HOST, port, path: HEALTH_PATH, agent: false, timeout: 1000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(response.statusCode === 200 ? body : undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}
