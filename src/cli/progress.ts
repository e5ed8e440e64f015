import type { ProgressEvent } from '../driver/transport-run.js';
import type { CliIo } from './io.js';

/**
 * One status line on stderr, rewritten in place. Only used on a terminal:
 * piped output and CI logs get no carriage returns.
 */
export class ProgressLine {
  private lastLength = 0;

  constructor(private readonly io: CliIo) {}

  update(event: ProgressEvent): void {
    const text = describe(event);
    const padding = ' '.repeat(Math.max(0, this.lastLength - text.length));
    this.io.stderr(`\r${text}${padding}`);
    this.lastLength = text.length;
  }

  clear(): void {
    if (this.lastLength === 0) return;
    this.io.stderr(`\r${' '.repeat(this.lastLength)}\r`);
    this.lastLength = 0;
  }
}

function describe(event: ProgressEvent): string {
  const name = event.transport;
  switch (event.phase) {
    case 'start':
      return `${name}: starting server and load generator`;
    case 'floor':
      return `${name}: measuring the single-subscriber latency floor`;
    case 'connect':
      return `${name}: connecting ${event.connected ?? 0}/${event.target ?? '?'} clients (${event.failed ?? 0} failed)`;
    case 'warmup':
      return `${name}: warming up (${event.secondsLeft ?? 0} s)`;
    case 'measure':
      return `${name}: measuring, ${event.secondsLeft ?? 0} s left`;
    case 'drain':
      return `${name}: waiting for late messages, ${event.secondsLeft ?? 0} s left`;
    case 'done':
      return `${name}: done`;
  }
}
