import { forEachItemIn, PeriodicTimeline, RoundRobinTimeline, type Timeline } from './timeline.js';
import type { BurstWorkload, PlanInput, WorkloadSettings } from './types.js';

/**
 * Plan of a topic or room workload: the stream of each client, the
 * messages the server publishes on its own and the messages the clients
 * send. The `dashboard` workload has none because it uses the broadcast
 * publisher. The reference server and the load generator
 * each build the plan from the same PlanInput and get the same result.
 */
export interface WorkloadPlan {
  input: PlanInput;
  /** Query parameter that names the stream on /events, /poll, /ws and /publish. */
  parameter: 'topic' | 'room';
  /** Stream names, by stream index. */
  streams: string[];
  /** Stream index of each client. */
  streamOfClient: Int32Array;
  /** Messages the server publishes itself; slot = stream index. */
  publications?: Timeline;
  /** Messages the clients send; slot = index into `senders`. */
  sends?: Timeline;
  /** Client index of each sender slot. */
  senders: Int32Array;
}

/** Tells whether the workload runs on topics or rooms instead of the broadcast publisher. */
export function usesStreams(workload: WorkloadSettings): boolean {
  return workload.kind !== 'dashboard';
}

export function buildPlan(input: PlanInput): WorkloadPlan {
  const { workload, clients, rate } = input;
  switch (workload.kind) {
    case 'dashboard':
      throw new RangeError('the dashboard workload uses the broadcast publisher, not a stream plan');
    case 'notifications':
      return {
        input,
        parameter: 'topic',
        streams: Array.from({ length: clients }, (_, i) => `user-${i}`),
        streamOfClient: Int32Array.from({ length: clients }, (_, i) => i),
        publications: new RoundRobinTimeline(clients, rate),
        senders: new Int32Array(0),
      };
    case 'burst':
      return {
        input,
        parameter: 'topic',
        streams: ['all'],
        streamOfClient: new Int32Array(clients),
        publications: burstTimeline(workload, rate),
        senders: new Int32Array(0),
      };
    case 'chat':
      return roomPlan(input, fixedRoomSizes(clients, workload.roomSize), spreadSenders(clients, workload.senderFraction));
    case 'collaboration': {
      const sizes = seededRoomSizes(clients, workload.minRoomSize, workload.maxRoomSize, workload.seed);
      return roomPlan(input, sizes, Int32Array.from({ length: clients }, (_, i) => i));
    }
  }
}

function roomPlan(input: PlanInput, roomSizes: number[], senders: Int32Array): WorkloadPlan {
  const streamOfClient = new Int32Array(input.clients);
  let client = 0;
  roomSizes.forEach((size, room) => {
    streamOfClient.fill(room, client, client + size);
    client += size;
  });
  return {
    input,
    parameter: 'room',
    streams: roomSizes.map((_, room) => `room-${room}`),
    streamOfClient,
    sends: senders.length > 0 ? new RoundRobinTimeline(senders.length, input.rate) : undefined,
    senders,
  };
}

/** Splits the clients, in order, into rooms of `size`; the last room gets the rest. */
function fixedRoomSizes(clients: number, size: number): number[] {
  const sizes: number[] = [];
  for (let left = clients; left > 0; left -= size) sizes.push(Math.min(size, left));
  return sizes;
}

/**
 * Draws room sizes from [min, max] with a seeded generator, in client
 * order. NOTE: the last room gets whatever clients are left, so it can be
 * smaller than `min`.
 */
function seededRoomSizes(clients: number, min: number, max: number, seed: number): number[] {
  const random = mulberry32(seed);
  const sizes: number[] = [];
  for (let left = clients; left > 0; ) {
    const size = Math.min(left, min + Math.floor(random() * (max - min + 1)));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * Picks about `fraction` of the clients as senders, spread evenly over the
 * client indexes (and so over the rooms): client i sends when
 * floor((i + 1) * fraction) passes an integer.
 */
function spreadSenders(clients: number, fraction: number): Int32Array {
  const senders: number[] = [];
  for (let i = 0; i < clients; i++) {
    if (Math.floor((i + 1) * fraction) > Math.floor(i * fraction)) senders.push(i);
  }
  return Int32Array.from(senders);
}

/**
 * Quiet messages at `rate` per second, restarting each period, plus
 * `burstMessages` due evenly over `burstDurationMs` starting halfway through
 * each period.
 */
function burstTimeline(workload: BurstWorkload, rate: number): Timeline {
  const periodNs = Math.round(workload.burstEverySec * 1e9);
  const quietCount = Math.round(rate * workload.burstEverySec);
  const offsets: number[] = [];
  for (let j = 0; j < quietCount; j++) offsets.push(Math.round((j * periodNs) / quietCount));

  const burstStartNs = Math.round(periodNs / 2);
  const spacingNs = (workload.burstDurationMs * 1e6) / workload.burstMessages;
  for (let i = 0; i < workload.burstMessages; i++) offsets.push(Math.min(periodNs - 1, burstStartNs + Math.round(i * spacingNs)));
  offsets.sort((a, b) => a - b);
  return new PeriodicTimeline(periodNs, offsets);
}

/** Mulberry32, a small seeded PRNG: the same seed always gives the same room sizes. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WindowCounts {
  /** Messages due in the window: published by the server, or sent by a connected sender. */
  windowMessages: number;
  /** Deliveries those messages owe to connected clients, a sender's own messages excluded. */
  expected: number;
}

/**
 * Counts the messages due in [fromNs, toNs) after the schedule start and
 * the deliveries they owe. A published message is owed to every connected
 * subscriber of its stream. A sent message is owed to every other connected
 * member of the sender's room, because the sender's copy is its own echo.
 * Senders that never connected send nothing.
 */
export function countWindow(plan: WorkloadPlan, connected: (client: number) => boolean, fromNs: number, toNs: number): WindowCounts {
  const members = new Int32Array(plan.streams.length);
  for (let client = 0; client < plan.streamOfClient.length; client++) {
    if (connected(client)) members[plan.streamOfClient[client]]++;
  }

  const counts: WindowCounts = { windowMessages: 0, expected: 0 };
  if (plan.publications) {
    const publications = plan.publications;
    forEachItemIn(publications, fromNs, toNs, (k) => {
      counts.windowMessages++;
      counts.expected += members[publications.slot(k)];
    });
  }
  if (plan.sends) {
    const sends = plan.sends;
    forEachItemIn(sends, fromNs, toNs, (k) => {
      const sender = plan.senders[sends.slot(k)];
      if (!connected(sender)) return;
      counts.windowMessages++;
      counts.expected += members[plan.streamOfClient[sender]] - 1;
    });
  }
  return counts;
}
