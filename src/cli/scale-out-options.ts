import { Option, type Command } from 'commander';
import type { BusKind, ProxyKind, TopologySettings } from '../scenarios/topology.js';
import { integerInRange, oneOf } from './option-parsers.js';

export interface ScaleOutFlags {
  instances: number;
  bus?: BusKind;
  redisUrl?: string;
  allowRemoteRedis: boolean;
  proxy: ProxyKind;
  singleInstanceRun: boolean;
}

/** Adds the options that lay out the server side: instances, bus, Redis, proxy, and the single-instance comparison run. */
export function addScaleOutOptions(command: Command): Command {
  return command
    .addOption(new Option('--instances <count>', 'reference-server processes per transport; clients are spread over them').argParser(integerInRange(1, 64)).default(1))
    .addOption(new Option('--bus <kind>', 'how instances share published messages: memory (one instance) or redis (Pub/Sub); default redis with --instances above 1 or --redis-url').argParser(oneOf(['memory', 'redis'])))
    .addOption(new Option('--redis-url <url>', 'Redis for the bus, for example redis://127.0.0.1:6379; default: start a private redis-server from PATH for each transport'))
    .addOption(new Option('--allow-remote-redis', 'accept a --redis-url host outside loopback').default(false))
    .addOption(
      new Option('--proxy <kind>', 'reverse proxy in front of the instances: none, nginx (settings each transport needs) or nginx-defaults (nginx defaults, X-Accel-Buffering ignored)')
        .argParser(oneOf(['none', 'nginx', 'nginx-defaults']))
        .default('none'),
    )
    .addOption(new Option('--no-single-instance-run', 'with --instances, --bus redis or --proxy: skip the run with one instance and no bus or proxy that the added latency is measured against'));
}

export function topologyFromFlags(flags: ScaleOutFlags): TopologySettings {
  const bus: BusKind = flags.bus ?? (flags.instances > 1 || flags.redisUrl !== undefined ? 'redis' : 'memory');
  return {
    instances: flags.instances,
    bus,
    redisUrl: flags.redisUrl,
    allowRemoteRedis: flags.allowRemoteRedis,
    proxy: flags.proxy,
    singleInstanceRun: flags.singleInstanceRun,
  };
}
