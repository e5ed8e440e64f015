import { LoadGenerator, type DeliveryResult, type GeneratorConfig } from '../../src/driver/load-generator.js';
import type { GeneratorFaultStats } from '../../src/faults/types.js';
import { DEFAULT_SERVER_SETTINGS, ReferenceServer, type ReferenceServerOptions, type ServerStats } from '../../src/server/reference-server.js';
import type { TransportName } from '../../src/transports/types.js';

/** Starts a reference server in this process on a free loopback port. */
export function startServer(transport: TransportName, overrides: Partial<ReferenceServerOptions> = {}): Promise<ReferenceServer> {
  return ReferenceServer.start({ ...DEFAULT_SERVER_SETTINGS, transport, port: 0, ...overrides });
}

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

export interface DeliveryRun {
  connected: number;
  delivery: DeliveryResult;
  faults: GeneratorFaultStats;
  /** The server's figures after the last message, before anything closed. */
  serverStats: ServerStats;
}

export interface DeliveryOptions {
  clients: number;
  /** Messages per second. */
  rate: number;
  /** Messages published; all of them form the window. */
  count: number;
  server?: Partial<ReferenceServerOptions>;
  /** Runs while messages flow, with the server and generator, before the final wait. */
  during?: (server: ReferenceServer, generator: LoadGenerator) => Promise<void>;
  implementation?: string;
  /** Further generator settings, for example wsResume or slowClients. */
  generator?: Partial<GeneratorConfig>;
  /** How long to wait for every message after the last is due, ms. */
  settleMs?: number;
}

/**
 * Connects `clients` subscribers to a fresh server, publishes `count`
 * messages at `rate`, waits until every subscriber has them all (or the
 * time runs out) and returns what the generator counted. Closes everything.
 */
export async function runDelivery(transport: TransportName, options: DeliveryOptions): Promise<DeliveryRun> {
  const server = await startServer(transport, options.server);
  const generator = new LoadGenerator();
  try {
    const connect = await generator.connect(
      {
        transport,
        implementation: options.implementation,
        baseUrl: server.url,
        clients: options.clients,
        rampRate: 10_000,
        connectTimeoutMs: 10_000,
        ...options.generator,
      },
      () => undefined,
    );
    const schedule = server.publisher.start(options.rate, options.count);
    generator.setWindow({ first: schedule.firstSeq, last: schedule.firstSeq + options.count - 1 });
    await options.during?.(server, generator);

    const expected = connect.connected * options.count;
    const runMs = (options.count / options.rate) * 1000;
    await waitFor(() => generator.delivery.delivered + generator.delivery.duplicated >= expected, runMs + (options.settleMs ?? 5000));
    // A short grace period, so that duplicates arriving after the last expected message are counted too.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { connected: connect.connected, delivery: generator.collect(), faults: generator.faultStats(), serverStats: server.stats() };
  } finally {
    generator.closeAll();
    await server.close();
  }
}
