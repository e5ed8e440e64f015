import type { Command } from 'commander';
import { InvalidOptionError } from '../errors.js';
import { buildPlan, usesStreams } from '../workloads/plan.js';
import type { Scenario } from './load.js';
import type { RunSettings } from './settings.js';

/**
 * The run settings each command-line option sets, by commander's attribute
 * name. Only these can come from a scenario file as well; an option given
 * on the command line wins over the file.
 */
const SETTING_OF_OPTION: Readonly<Record<string, keyof RunSettings>> = {
  transports: 'transports',
  clients: 'clients',
  rate: 'rate',
  payloadBytes: 'payloadBytes',
  warmup: 'warmupSec',
  duration: 'durationSec',
  rampRate: 'rampRate',
  drain: 'drainSec',
  connectTimeout: 'connectTimeoutSec',
  sseClient: 'sseClient',
  maxGeneratorLag: 'maxGeneratorLagMs',
  repeat: 'repeat',
  injectDelayMs: 'injectDelayMs',
  injectCostUs: 'injectCostUs',
  floor: 'floor',
  heartbeatMs: 'heartbeatMs',
};

/**
 * Layers the settings: rtbench's defaults, then the scenario file, then
 * the options the user gave on the command line. `fromOptions` contains every
 * option's value, defaults included; commander's value source tells which
 * ones the user gave.
 */
export function layerSettings(fromOptions: RunSettings, command: Command, scenario: Scenario | undefined): RunSettings {
  const settings: RunSettings = { ...fromOptions, ...scenario?.settings };
  const writable = settings as unknown as Record<string, unknown>;
  for (const [option, key] of Object.entries(SETTING_OF_OPTION)) {
    const source = command.getOptionValueSource(option);
    if (source === 'cli' || source === 'env') writable[key] = fromOptions[key];
  }
  checkWorkload(settings);
  return settings;
}

/** Rejects a workload that would measure nothing, after the command line may have changed its client count. */
export function checkWorkload(settings: RunSettings): void {
  const workload = settings.workload;
  if (!usesStreams(workload) || workload.kind !== 'chat') return;
  const plan = buildPlan({ workload, clients: settings.clients, rate: settings.rate, payloadBytes: settings.payloadBytes });
  if (plan.senders.length === 0) {
    throw new InvalidOptionError(
      `chat with ${settings.clients} clients and senderFraction ${workload.senderFraction} has no sending client: ` +
        `use at least ${Math.ceil(1 / workload.senderFraction)} clients or a larger senderFraction`,
    );
  }
}
