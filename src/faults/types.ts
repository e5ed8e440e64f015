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

/** What the load generator returns for the `fault-stats` request. */
export interface GeneratorFaultStats {
  reconnect: ReconnectStats;
  /** Messages skipped across a reconnect that never arrived, summed over subscribers. */
  lostAcrossFaults: number;
  slowClients: SlowClientDelivery | null;
}
