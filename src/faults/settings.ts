import { InvalidOptionError } from '../errors.js';
import type { SlowReaderSettings } from './slow-readers.js';

/** `--drop FRACTION@SECONDS`: the server destroys that share of its client sockets at that time. */
export interface DropFault {
  /** Share of the open connections, 0 to 1. */
  fraction: number;
  /** Seconds after publishing starts (the start of the warm-up). */
  atSec: number;
}

/** The faults injected into every transport of a run. */
export interface FaultSettings {
  drop: DropFault | null;
  /** Seconds after publishing starts at which the server process is restarted on the same port; null for none. */
  restartAtSec: number | null;
  /** WebSocket clients send a resume request after a reconnect and the server replays from its history. */
  wsResume: boolean;
  /** `fraction` 0 means no slow clients. */
  slowClients: SlowReaderSettings;
}

export const NO_FAULTS: FaultSettings = {
  drop: null,
  restartAtSec: null,
  wsResume: false,
  slowClients: { fraction: 0, pauseMs: 5000, readMs: 1000 },
};

/** Returns whether a run injects any fault, which adds the fault rows to the report. */
export function faultsInjected(faults: FaultSettings): boolean {
  return faults.drop !== null || faults.restartAtSec !== null || faults.slowClients.fraction > 0;
}

const DROP_SYNTAX = /^\s*(\d*\.?\d+)\s*@\s*(\d*\.?\d+)\s*$/;

/** Parses `FRACTION@SECONDS`, for example `0.5@10`; returns an error message instead of throwing. */
export function parseDrop(text: string): DropFault | string {
  const match = DROP_SYNTAX.exec(text);
  if (!match) return `expected FRACTION@SECONDS, for example 0.5@10`;
  const fraction = Number(match[1]);
  const atSec = Number(match[2]);
  if (!(fraction > 0 && fraction <= 1)) return `expected a fraction above 0 and at most 1 before the @, got ${match[1]}`;
  return { fraction, atSec };
}

/**
 * Rejects a fault that would fire after publishing stops: it would change
 * nothing that the report measures.
 */
export function validateFaultTimes(faults: FaultSettings, warmupSec: number, durationSec: number): void {
  const endSec = warmupSec + durationSec;
  if (faults.drop && faults.drop.atSec >= endSec) {
    throw new InvalidOptionError(
      `--drop ${faults.drop.fraction}@${faults.drop.atSec} fires after publishing ends at ${endSec} s (--warmup + --duration): choose a time below ${endSec}`,
    );
  }
  if (faults.restartAtSec !== null && faults.restartAtSec >= endSec) {
    throw new InvalidOptionError(
      `--restart-at ${faults.restartAtSec} fires after publishing ends at ${endSec} s (--warmup + --duration): choose a time below ${endSec}`,
    );
  }
}

/**
 * Rejects --drop and --restart-at where the fault runner cannot apply them
 * yet: it drives one reference-server process on the broadcast stream.
 */
export function validateFaultTarget(faults: FaultSettings, scaledOut: boolean, streamWorkload: boolean): void {
  const option = faults.drop ? '--drop' : faults.restartAtSec !== null ? '--restart-at' : undefined;
  if (!option) return;
  // TODO: drop and restart every instance of a scaled-out run, and streams of topic and room workloads.
  if (scaledOut) {
    throw new InvalidOptionError(`${option} needs a single instance without a proxy: remove --instances, --bus and --proxy`);
  }
  if (streamWorkload) {
    throw new InvalidOptionError(`${option} needs the broadcast (dashboard) workload: run it without a topic or room scenario`);
  }
}
