import type { BusSummary } from '../bus/redis-bus.js';
import { redactRedisUrl } from '../bus/redis-url.js';
import { mergeEncodedHistograms, summarize } from '../metrics/histogram.js';
import { cpuPercentBetween, type ProcessSample } from '../metrics/proc-stats.js';
import type { SideProcessFigures, TopologyResult } from '../report/topology.js';
import type { TransportResult } from '../report/types.js';
import { isScaledOut } from '../scenarios/topology.js';
import type { ServerGroup } from './server-group.js';

/** How long each instance may take to return its bus figures at the end, ms. */
const SUMMARY_TIMEOUT_MS = 5000;

/**
 * Fills `result.topology` from the group, and turns a bus failure into a
 * failed result: the run went on to the end, so `messages.lost` already
 * counts what the failure cost. Leaves a single-instance run without bus
 * or proxy untouched.
 */
export async function finishTopology(group: ServerGroup, result: TransportResult): Promise<void> {
  if (!isScaledOut(group.settings)) return;
  const topology: TopologyResult = {
    instances: group.settings.instances,
    bus: group.settings.bus,
    proxy: group.settings.proxy,
    subscribersPerInstance: group.subscribersPerInstance,
  };

  if (group.redis) {
    const summaries = await collectBusSummaries(group);
    const published = summaries.reduce((total, summary) => total + summary.published, 0);
    const histograms = summaries.map((summary) => summary.hopHistogram).filter((encoded) => encoded.length > 0);
    topology.redis = {
      url: redactRedisUrl(group.redis.url),
      private: group.redis.private !== undefined,
      hopMs: summarize(mergeEncodedHistograms(histograms)),
      published,
      publishFailed: summaries.reduce((total, summary) => total + summary.publishFailed, 0),
      missedByInstances: summaries.reduce((total, summary) => total + Math.max(0, published - summary.received), 0),
      failure: group.busFailure?.message,
      ...sideFigures(group.sideSamples.redis),
    };
  }

  if (group.nginx) {
    const errorLog = group.nginx.errorLogSummary();
    topology.nginx = {
      workers: group.nginx.plan.workers,
      workerConnections: group.nginx.plan.workerConnections,
      errorLogLines: errorLog.lines,
      lastErrorLogLine: errorLog.last,
      ...sideFigures(group.sideSamples.nginx),
    };
  }

  result.topology = topology;
  markBusFailure(group, result);
}

async function collectBusSummaries(group: ServerGroup): Promise<BusSummary[]> {
  const requests = group.instances.map((child) =>
    child.isRunning() ? child.request<BusSummary | null>('bus-summary', {}, SUMMARY_TIMEOUT_MS).catch(() => null) : Promise.resolve(null),
  );
  return (await Promise.all(requests)).filter((summary): summary is BusSummary => summary !== null);
}

/** CPU between the first and last window-edge sample, and RSS at the last. */
function sideFigures(samples: (ProcessSample | undefined)[]): SideProcessFigures {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || samples.length < 2) return { rssBytes: last?.rssBytes ?? null, cpuPercent: null };
  return { rssBytes: last.rssBytes, cpuPercent: Math.round(cpuPercentBetween(first, last) * 10) / 10 };
}

function markBusFailure(group: ServerGroup, result: TransportResult): void {
  const failure = group.busFailure;
  if (!failure || result.status !== 'completed') return;
  const { lost, expected } = result.messages;
  result.status = 'failed';
  result.error = {
    code: 'ERR_BUS_FAILED',
    message: `bus failure: ${failure.message}; ${lost} of ${expected} deliveries in the window were lost`,
  };
}
