import { connect, type Socket } from 'node:net';

/**
 * Opens the TCP connections of one simulated client and keeps their byte
 * counters: the socket's bytesRead includes HTTP headers and framing, which
 * is what a wire-cost figure needs. Closed sockets keep counting in the total.
 */
export class CountingConnector {
  private current: Socket | undefined;
  private closedBytes = 0;

  constructor(private readonly localAddress?: string) {}

  open(host: string, port: number): Socket {
    this.retire();
    const socket = connect({ host, port, localAddress: this.localAddress, noDelay: true });
    this.current = socket;
    return socket;
  }

  bytesReceived(): number {
    return this.closedBytes + (this.current?.bytesRead ?? 0);
  }

  /** Moves the current socket's count into the closed total. */
  private retire(): void {
    if (this.current) this.closedBytes += this.current.bytesRead;
    this.current = undefined;
  }
}
