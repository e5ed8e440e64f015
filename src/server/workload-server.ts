import type { LatencySummary } from '../metrics/histogram.js';
import { makePayload } from '../transports/message.js';
import { buildPlan } from '../workloads/plan.js';
import { TimelineRunner } from '../workloads/timeline-runner.js';
import type { PlanInput } from '../workloads/types.js';
import type { StreamHub } from './streams.js';

/** Start request of a topic or room workload, from the orchestrator. Times are decimal ns of process.hrtime.bigint(). */
export interface StartWorkloadRequest {
  input: PlanInput;
  /** The schedule start: item k of every timeline is due `offsetNs(k)` after it. */
  startNs: string;
  /** Due times whose send lag is recorded: the measured window. */
  windowStartNs: string;
  windowEndNs: string;
}

/**
 * The server half of a topic or room workload: publishes what the plan
 * schedules on the server and records send lag over the window. Relayed
 * client messages need no start: the publish route and the WebSocket
 * server relay them whenever they arrive.
 */
export class ServerWorkload {
  private publisher: TimelineRunner | undefined;

  constructor(private readonly streams: StreamHub) {}

  start(request: StartWorkloadRequest): void {
    this.stop();
    this.streams.setLagWindow({ startNs: BigInt(request.windowStartNs), endNs: BigInt(request.windowEndNs) });
    const plan = buildPlan(request.input);
    const publications = plan.publications;
    if (!publications) return;

    // Built once: every scheduled message carries the same payload.
    const payload = makePayload(request.input.payloadBytes);
    this.publisher = new TimelineRunner(publications, BigInt(request.startNs), (k, dueNs) => {
      this.streams.publish(plan.streams[publications.slot(k)], dueNs, payload);
    });
    this.publisher.start();
  }

  stop(): void {
    this.publisher?.stop();
    this.publisher = undefined;
  }

  lagSummary(): { sendLag: LatencySummary; fanOut: LatencySummary } {
    return this.streams.lagSummary();
  }
}
