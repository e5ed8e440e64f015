/**
 * The workloads rtbench can run. `dashboard` is the broadcast stream of the
 * default run; the others put each client on a topic or a room, a stream
 * with its own gap-free sequence numbers and its own history.
 */
export type WorkloadSettings =
  | DashboardWorkload
  | NotificationsWorkload
  | ChatWorkload
  | CollaborationWorkload
  | BurstWorkload;

export type WorkloadKind = WorkloadSettings['kind'];

export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['dashboard', 'notifications', 'chat', 'collaboration', 'burst'];

/** One publisher broadcasting to every client at `rate` messages per second. */
export interface DashboardWorkload {
  kind: 'dashboard';
}

/** Each client has its own topic and receives `rate` messages per second on it. */
export interface NotificationsWorkload {
  kind: 'notifications';
}

/** Rooms of `roomSize` clients; a share of the clients each send `rate` messages per second to their room. */
export interface ChatWorkload {
  kind: 'chat';
  roomSize: number;
  /** Share of the clients that send, 0 (exclusive) to 1. */
  senderFraction: number;
}

/** Rooms of `minRoomSize` to `maxRoomSize` members; every member sends `rate` edits per second. */
export interface CollaborationWorkload {
  kind: 'collaboration';
  minRoomSize: number;
  maxRoomSize: number;
  /** Seed of the room sizes, so the same file always gives the same rooms. */
  seed: number;
}

/** A broadcast stream at `rate` messages per second with a burst of messages once per period. */
export interface BurstWorkload {
  kind: 'burst';
  burstMessages: number;
  /** The burst's messages are due evenly over this span, ms; 0 makes them due at once. */
  burstDurationMs: number;
  burstEverySec: number;
}

export const DASHBOARD: DashboardWorkload = { kind: 'dashboard' };

/** What both the reference server and the load generator need to build the same workload plan. */
export interface PlanInput {
  workload: WorkloadSettings;
  clients: number;
  /** Messages per second; what it counts depends on the workload (see the scenario schema). */
  rate: number;
  payloadBytes: number;
}
