import type { LatencySummary } from '../metrics/histogram.js';
import type { ReconnectStats } from './reconnect-tracker.js';

/** Deliveries to the clients that pause their reads, counted apart from the others. */
export interface SlowClientDelivery {
  clients: number;
  connected: number;
  /** Messages due inside the window that reached a slow client. */
  delivered: number;
  duplicated: number;
  latencyMs: LatencySummary;
}

/** The load generator's reply to the `fault-stats` request. */
export interface GeneratorFaultStats {
  reconnect: ReconnectStats;
  /** Messages inside the window skipped across a reconnect that never arrived, summed over the subscribers that are not slow. */
  lostAcrossFaults: number;
  slowClients: SlowClientDelivery | null;
}

/** One injected fault as it happened. */
export interface FaultEvent {
  kind: 'drop' | 'restart';
  /** When the fault struck, ms after publishing started. */
  atMs: number;
  /** Connections the server destroyed (drop), or held when it stopped (restart). */
  connectionsClosed: number | null;
  /** Restart only: from stopping the old server until the new one listened, ms. */
  downtimeMs?: number;
  /** From the fault until no client was down any more, ms; null when some never came back or no client noticed. */
  allBackMs: number | null;
}

/** Server counters that show how it handled faults and hostile clients. */
export interface FaultServerCounters {
  backpressureDrops: number;
  backpressureCloses: number;
  deadPeersClosed: number;
  acceptErrors: number;
  /** Rejected requests and connections, by status or close code and reason. */
  rejections: Record<string, number>;
}

/** The `faults` part of a TransportResult: present only when a fault was injected. */
export interface FaultResult {
  injected: {
    drop: { fraction: number; atSec: number } | null;
    restartAtSec: number | null;
    slowClientFraction: number;
    wsResume: boolean;
  };
  events: FaultEvent[];
  reconnects: {
    disconnects: number;
    reconnects: number;
    /** Clients still down when the run ended. */
    stillDown: number;
    /** From losing a subscription to having it again, ms. */
    timeMs: LatencySummary;
    /** The same as an encoded HdrHistogram of microseconds. */
    histogram: string;
    intervalMs: number;
    /** Reconnects in each interval from the first fault on; empty without one. */
    perInterval: number[];
    peakPerInterval: number;
  };
  /** Messages inside the window skipped across reconnects that never arrived later, over the clients that are not slow. */
  messagesLost: number;
  server: FaultServerCounters;
  /** Slow clients, counted apart from the others (whose figures fill the rest of the report). */
  slowClients: (SlowClientDelivery & { expected: number; lost: number }) | null;
}
