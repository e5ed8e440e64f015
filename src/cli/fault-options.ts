import { InvalidArgumentError, Option, type Command } from 'commander';
import { NO_FAULTS, parseDrop, type DropFault } from '../faults/settings.js';
import { BACKPRESSURE_POLICIES, DEFAULT_SERVER_LIMITS, type BackpressurePolicy } from '../server/limits.js';
import type { RunSettings } from '../scenarios/settings.js';
import { integerInRange, numberInRange, oneOf } from './option-parsers.js';

/** The flags these options add to `rtbench run`. */
export interface FaultFlags {
  drop?: DropFault;
  restartAt?: number;
  wsResume: boolean;
  slowClients: number;
  slowPauseMs: number;
  slowReadMs: number;
  sendBufferLimit?: number;
  onBackpressure?: BackpressurePolicy;
  connectionsPerAddress?: number;
}

function dropOption(value: string): DropFault {
  const parsed = parseDrop(value);
  if (typeof parsed === 'string') throw new InvalidArgumentError(parsed);
  return parsed;
}

const SLOW = NO_FAULTS.slowClients;

/** Adds the fault-injection and server-limit options to `rtbench run`. */
export function addFaultOptions(command: Command): Command {
  return command
    .addOption(new Option('--drop <fraction@seconds>', 'the server destroys this share of its client connections at this many seconds after publishing starts, for example 0.5@10').argParser(dropOption))
    .addOption(new Option('--restart-at <seconds>', 'restart the server process on the same port at this many seconds after publishing starts').argParser(numberInRange(0, 86_400)))
    .addOption(new Option('--ws-resume', 'WebSocket clients send the last sequence number after a reconnect and the server replays what they missed').default(false))
    .addOption(new Option('--slow-clients <fraction>', 'share of the clients that read slowly (pause their sockets), 0 to 1').argParser(numberInRange(0, 1)).default(SLOW.fraction))
    .addOption(new Option('--slow-pause-ms <ms>', 'how long a slow client stops reading each time, in ms').argParser(integerInRange(1, 3_600_000)).default(SLOW.pauseMs))
    .addOption(new Option('--slow-read-ms <ms>', 'how long a slow client reads between pauses, in ms').argParser(integerInRange(1, 3_600_000)).default(SLOW.readMs))
    .addOption(
      new Option(
        '--send-buffer-limit <bytes>',
        `bytes a subscriber may have waiting in the server beyond the kernel buffer before --on-backpressure applies, in bytes (default: ${DEFAULT_SERVER_LIMITS.sendBufferLimitBytes})`,
      ).argParser(integerInRange(1024, 1_073_741_824)),
    )
    .addOption(
      new Option('--on-backpressure <policy>', `what the server does with a subscriber above the send-buffer limit: drop its messages or close it (default: ${DEFAULT_SERVER_LIMITS.backpressurePolicy})`).argParser(
        oneOf(BACKPRESSURE_POLICIES),
      ),
    )
    .addOption(
      new Option('--connections-per-address <count>', 'connections from one loopback source address before clients spread over 127.0.0.2, 127.0.0.3, ... (default: the ephemeral port range minus 1000)').argParser(
        integerInRange(1, 1_000_000),
      ),
    );
}

/**
 * Converts these flags to run settings. A setting left at its default stays
 * absent, so that the scenario hash of a run without these options is
 * unchanged.
 */
export function faultRunSettings(flags: FaultFlags): Pick<RunSettings, 'faults' | 'sendBufferLimitBytes' | 'backpressurePolicy' | 'connectionsPerSourceAddress'> {
  const faults = {
    drop: flags.drop ?? null,
    restartAtSec: flags.restartAt ?? null,
    wsResume: flags.wsResume,
    slowClients: { fraction: flags.slowClients, pauseMs: flags.slowPauseMs, readMs: flags.slowReadMs },
  };
  return {
    faults: JSON.stringify(faults) === JSON.stringify(NO_FAULTS) ? undefined : faults,
    sendBufferLimitBytes: flags.sendBufferLimit,
    backpressurePolicy: flags.onBackpressure,
    connectionsPerSourceAddress: flags.connectionsPerAddress,
  };
}
