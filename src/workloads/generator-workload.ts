import { Pool } from 'undici';
import { PUBLISH_PATH } from '../server/publish-route.js';
import { makePayload } from '../transports/message.js';
import { withStream, type StreamSubscription } from '../transports/stream-route.js';
import type { SimulatedClient } from '../transports/types.js';
import { buildPlan, countWindow, type WindowCounts, type WorkloadPlan } from './plan.js';
import { TimelineRunner } from './timeline-runner.js';
import type { PlanInput } from './types.js';

/**
 * Connections the generator opens for the HTTP POSTs of SSE and long-poll
 * senders, shared by all senders. NOTE: a browser would send over a
 * connection of its own. A small shared pool keeps the generator within
 * `clients + 64` file descriptors, so its CPU goes to the transports.
 */
const POST_CONNECTIONS = 32;

/** The generator's view of one simulated client, as the workload needs it. */
export interface WorkloadClient {
  /** The client subscribed before the measured window and counts as connected. */
  readonly opened: boolean;
  /** Its transport client; WebSocket clients send over it, the others through POST /publish. */
  readonly client: Pick<SimulatedClient, 'send'>;
}

/** Due times of the schedule and the window, absolute decimal ns of process.hrtime.bigint(). */
export interface GeneratorWorkloadStart {
  startNs: string;
  windowStartNs: string;
  windowEndNs: string;
}

/**
 * The load-generator half of a topic or room workload. It names the stream
 * each client subscribes to, sends the chat and collaboration messages of
 * the sending clients at their intended times, and counts the deliveries
 * the window owes.
 */
export class GeneratorWorkload {
  readonly plan: WorkloadPlan;
  private readonly payloadJson: string;
  private pool: Pool | undefined;
  private sender: TimelineRunner | undefined;
  private startNs = 0n;
  private windowNs: { from: number; to: number } | undefined;

  constructor(
    input: PlanInput,
    private readonly baseUrl: string,
    private readonly onError: (error: Error) => void,
  ) {
    this.plan = buildPlan(input);
    this.payloadJson = JSON.stringify(makePayload(input.payloadBytes));
  }

  subscriptionOf(client: number): StreamSubscription {
    return { parameter: this.plan.parameter, name: this.plan.streams[this.plan.streamOfClient[client]] };
  }

  /** Starts the senders' schedule; the clients must have connected. */
  start(request: GeneratorWorkloadStart, clients: readonly WorkloadClient[]): void {
    this.stop();
    this.startNs = BigInt(request.startNs);
    this.windowNs = {
      from: Number(BigInt(request.windowStartNs) - this.startNs),
      to: Number(BigInt(request.windowEndNs) - this.startNs),
    };
    const sends = this.plan.sends;
    if (!sends) return;

    this.sender = new TimelineRunner(sends, this.startNs, (k, dueNs) => {
      const client = this.plan.senders[sends.slot(k)];
      this.send(client, clients[client], dueNs);
    });
    this.sender.start();
  }

  stop(): void {
    this.sender?.stop();
    this.sender = undefined;
  }

  close(): void {
    this.stop();
    void this.pool?.destroy().catch(() => undefined);
    this.pool = undefined;
  }

  /** Counts the window's messages and owed deliveries, up to the messages due by now. */
  counts(clients: readonly WorkloadClient[]): WindowCounts | undefined {
    if (!this.windowNs) return undefined;
    const nowNs = Number(process.hrtime.bigint() - this.startNs);
    return countWindow(this.plan, (client) => clients[client].opened, this.windowNs.from, Math.min(this.windowNs.to, nowNs));
  }

  /** Sends one message for `client`; a client that never connected sends nothing, and the count of owed deliveries leaves it out. */
  private send(client: number, target: WorkloadClient, dueNs: bigint): void {
    if (!target.opened) return;
    const text = `{"due":"${dueNs}","from":${client},"data":${this.payloadJson}}`;
    if (target.client.send) {
      try {
        target.client.send(text);
      } catch (error) {
        this.onError(error as Error);
      }
      return;
    }
    this.post(client, text);
  }

  private post(client: number, text: string): void {
    this.pool ??= new Pool(this.baseUrl, { connections: POST_CONNECTIONS, pipelining: 1 });
    const path = withStream(PUBLISH_PATH, this.subscriptionOf(client));
    this.pool
      .request({ method: 'POST', path, body: text, headers: { 'content-type': 'application/json' } })
      .then(async ({ statusCode, body }) => {
        await body.dump();
        if (statusCode !== 204) this.onError(Object.assign(new Error(`POST ${PUBLISH_PATH} failed with HTTP ${statusCode}`), { code: `HTTP_${statusCode}` }));
      })
      .catch((error: Error) => this.onError(error));
  }
}
