import type { LatencySummary } from '../metrics/histogram.js';
import { cpuPercentBetween, type ProcessSample } from '../metrics/proc-stats.js';
import type { TransportResult } from '../report/types.js';
import type { ServerStats } from '../server/reference-server.js';
import type { RunSettings } from '../scenarios/settings.js';
import type { TransportName } from '../transports/types.js';
import type { ConnectResult, DeliveryResult, MeasureResult } from './load-generator.js';
import { saturationReasons } from './saturation.js';

/** Both processes sampled at one edge of the measured window. */
export interface WindowSnapshot {
  server: ProcessSample | undefined;
  generator: ProcessSample | undefined;
  serverStats: ServerStats;
}

/** Bytes and requests that crossed the wire during the measured window. */
export interface WireTotals {
  clientBytes: number;
  serverBytes: number;
  requests: number;
}

const EMPTY_LATENCY: LatencySummary = { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };

export function emptyResult(transport: TransportName, clientImplementation: string, target: number): TransportResult {
  return {
    transport,
    clientImplementation,
    status: 'failed',
    phase: 'setup',
    clients: { target, connected: 0, failed: 0, errors: {} },
    connectTimeMs: { p50: 0, p99: 0, max: 0, allConnected: 0 },
    latencyMs: { ...EMPTY_LATENCY },
    sendLagMs: { ...EMPTY_LATENCY },
    floor: null,
    messages: { expected: 0, delivered: 0, lost: 0, duplicated: 0, outOfOrder: 0, windowMessages: 0 },
    throughput: { deliveredPerSec: 0, publishedPerSec: 0 },
    wire: { clientBytesPerMessage: null, serverBytesPerMessage: null, requestsPerMessage: null },
    server: {
      rssBaseBytes: null,
      rssIdleBytes: null,
      rssPeakBytes: null,
      memoryPerConnectionBytes: null,
      cpuPercent: null,
      fanOutMs: null,
      rejected: 0,
      backpressureDrops: 0,
      backpressureCloses: 0,
      acceptErrors: 0,
      subscribersAtEnd: null,
    },
    generator: {
      rssPerClientBytes: null,
      rssPeakBytes: null,
      cpuPercent: null,
      eventLoopDelayP99Ms: null,
      eventLoopUtilization: null,
      saturated: false,
      saturationReasons: [],
    },
    histogram: '',
    durationMs: 0,
  };
}

export function fillConnect(result: TransportResult, connect: ConnectResult): void {
  result.clients = { ...result.clients, target: connect.target, connected: connect.connected, failed: connect.failed, errors: connect.errors };
  result.connectTimeMs = {
    p50: connect.connectTimeMs.p50,
    p99: connect.connectTimeMs.p99,
    max: connect.connectTimeMs.max,
    allConnected: round(connect.allConnectedMs, 1),
  };
}

/** Fills CPU, memory peaks and the saturation verdict; returns the wire totals for fillDelivery. */
export function fillMeasure(
  result: TransportResult,
  measure: MeasureResult,
  before: WindowSnapshot,
  after: WindowSnapshot,
  settings: RunSettings,
): WireTotals {
  if (before.server && after.server) {
    result.server.cpuPercent = round(cpuPercentBetween(before.server, after.server), 1);
    result.server.rssPeakBytes = after.server.rssPeakBytes;
  }
  if (before.generator && after.generator) {
    result.generator.cpuPercent = round(cpuPercentBetween(before.generator, after.generator), 1);
    result.generator.rssPeakBytes = after.generator.rssPeakBytes;
  }
  const counters = after.serverStats.counters;
  result.server.rejected = counters.rejected;
  result.server.backpressureDrops = counters.backpressureDrops;
  result.server.backpressureCloses = counters.backpressureCloses;
  result.server.acceptErrors = counters.acceptErrors;
  result.generator.eventLoopDelayP99Ms = round(measure.eventLoopDelayP99Ms, 2);
  result.generator.eventLoopUtilization = round(measure.eventLoopUtilization, 3);

  const reasons = saturationReasons(result.generator, settings);
  result.generator.saturated = reasons.length > 0;
  result.generator.saturationReasons = reasons;

  return {
    clientBytes: measure.bytesReceived,
    serverBytes: after.serverStats.bytesWritten - before.serverStats.bytesWritten,
    requests: measure.requestsSent,
  };
}

/**
 * Fills message counts, latency and throughput. Expected messages are the
 * messages due inside the window times the subscribers connected (for
 * topics and rooms: per stream, as the generator counted them), so `lost`
 * is what never arrived, whatever the reason.
 */
export function fillDelivery(
  result: TransportResult,
  delivery: DeliveryResult,
  sendLag: LatencySummary | null,
  measuredSec: number,
  wire: WireTotals | null,
): void {
  // Topic and room workloads count their window in the generator, per stream.
  if (delivery.windowMessages !== undefined) result.messages.windowMessages = delivery.windowMessages;
  const expected = delivery.expected ?? result.messages.windowMessages * delivery.subscribers;
  result.messages = {
    ...result.messages,
    expected,
    delivered: delivery.delivered,
    lost: Math.max(0, expected - delivery.delivered),
    duplicated: delivery.duplicated,
    outOfOrder: delivery.outOfOrder,
  };
  result.latencyMs = delivery.latencyMs;
  result.histogram = delivery.histogram;
  result.clients.errors = delivery.errors;
  if (sendLag) result.sendLagMs = sendLag;
  if (measuredSec > 0) {
    result.throughput = {
      deliveredPerSec: round(delivery.delivered / measuredSec, 1),
      publishedPerSec: round(result.messages.windowMessages / measuredSec, 2),
    };
  }
  if (wire && delivery.delivered > 0) {
    result.wire = {
      clientBytesPerMessage: round(wire.clientBytes / delivery.delivered, 1),
      serverBytesPerMessage: round(wire.serverBytes / delivery.delivered, 1),
      requestsPerMessage: round(wire.requests / delivery.delivered, 3),
    };
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
