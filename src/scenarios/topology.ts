/**
 * How the server side of a run is laid out: how many reference-server
 * instances share the clients, which bus carries published messages
 * between them, and which reverse proxy, if any, sits in front.
 */
export type BusKind = 'memory' | 'redis';

/**
 * `nginx` uses the settings each transport needs; `nginx-defaults` uses
 * nginx's own defaults, to show what an untuned proxy does.
 */
export type ProxyKind = 'none' | 'nginx' | 'nginx-defaults';

export interface TopologySettings {
  /** Reference-server processes per transport; clients are spread over them. */
  instances: number;
  /** `memory`: the one instance publishes to its own clients. `redis`: every instance subscribes to Redis Pub/Sub. */
  bus: BusKind;
  /** Redis server for the bus; undefined starts a private redis-server for each transport run. */
  redisUrl?: string;
  /** Accept a --redis-url host outside loopback. */
  allowRemoteRedis: boolean;
  proxy: ProxyKind;
  /**
   * Also run each transport with one instance, no bus and no proxy, so the
   * report can state the latency the topology adds. Only used when the
   * topology differs from that.
   */
  singleInstanceRun: boolean;
}

export const DEFAULT_TOPOLOGY: TopologySettings = {
  instances: 1,
  bus: 'memory',
  allowRemoteRedis: false,
  proxy: 'none',
  singleInstanceRun: true,
};

/** Whether the settings differ from one instance with an in-process bus and no proxy. */
export function isScaledOut(topology: TopologySettings): boolean {
  return topology.instances > 1 || topology.bus !== 'memory' || topology.proxy !== 'none';
}

/** The same settings with one instance, the in-process bus and no proxy: the run a scaled-out run is compared with. */
export function singleInstance<T extends TopologySettings>(settings: T): T {
  return { ...settings, instances: 1, bus: 'memory', redisUrl: undefined, proxy: 'none' };
}
