import type { SimulatedClient } from '../transports/types.js';

/** Read pattern of slow clients: `pauseMs` without reading, then `readMs` reading, over and over. */
export interface SlowReaderSettings {
  /** Share of the clients that read slowly, 0 to 1. */
  fraction: number;
  pauseMs: number;
  readMs: number;
}

/**
 * Returns whether client `index` is one of the slow ones. They are spread evenly
 * over the ramp-up order, so they do not all connect in one burst, and the
 * count is exactly round(fraction × clients) or one less.
 */
export function isSlowClient(index: number, fraction: number): boolean {
  return Math.floor((index + 1) * fraction) > Math.floor(index * fraction);
}

/**
 * Pauses and resumes the reads of the slow clients. Each client starts its
 * cycle at a random point, so the pauses do not line up into one burst
 * every cycle.
 */
export class SlowReaders {
  private readonly timers = new Map<SimulatedClient, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly settings: SlowReaderSettings) {}

  start(clients: readonly SimulatedClient[]): void {
    const cycleMs = this.settings.pauseMs + this.settings.readMs;
    for (const client of clients) {
      if (!client.pauseReading || !client.resumeReading) continue;
      this.schedule(client, true, Math.random() * cycleMs);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** After `delayMs`, pauses the client when it is `reading`, else resumes it, and schedules the next switch. */
  private schedule(client: SimulatedClient, reading: boolean, delayMs: number): void {
    const timer = setTimeout(() => this.toggle(client, reading), delayMs);
    timer.unref();
    this.timers.set(client, timer);
  }

  private toggle(client: SimulatedClient, reading: boolean): void {
    if (this.stopped) return;
    if (reading) {
      client.pauseReading?.();
      this.schedule(client, false, this.settings.pauseMs);
    } else {
      client.resumeReading?.();
      this.schedule(client, true, this.settings.readMs);
    }
  }
}
