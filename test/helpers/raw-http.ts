import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * Raw HTTP and WebSocket clients for hostile-input tests: they send bytes
 * that a well-behaved client library would refuse to send.
 */

/** Connects to 127.0.0.1:port and resolves once the socket is connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `request` and collects the response until the server closes the
 * connection or `timeoutMs` passes; then closes the socket.
 */
export async function exchange(port: number, request: string | Buffer, timeoutMs = 3000): Promise<string> {
  const socket = await openSocket(port);
  return new Promise((resolve) => {
    let text = '';
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(request);
  });
}

/** Returns the status code of the first response in `text`, or 0 when there is none. */
export function statusOf(text: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return match ? Number(match[1]) : 0;
}

export function handshakeRequest(path = '/ws', headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Opens a WebSocket with a raw handshake; resolves with the socket once the 101 arrived. */
export async function openWebSocket(port: number): Promise<Socket> {
  const socket = await openSocket(port);
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (statusOf(text) === 101) resolve(socket);
      else reject(new Error(`handshake answered with ${text.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
    socket.write(handshakeRequest());
  });
}

export interface FrameOptions {
  /** Clients must mask every frame (RFC 6455 §5.1); false sends an unmasked one. */
  mask?: boolean;
  /** Claimed payload length when it differs from the payload sent. */
  declaredLength?: number;
}

/** Builds one final client frame with `opcode` and `payload`. */
export function clientFrame(opcode: number, payload: Buffer, options: FrameOptions = {}): Buffer {
  const mask = options.mask ?? true;
  const length = options.declaredLength ?? payload.length;
  const head: number[] = [0x80 | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) {
    head.push(maskBit | length);
  } else if (length < 65536) {
    head.push(maskBit | 126, length >> 8, length & 0xff);
  } else {
    head.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);

  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ key[index % 4]));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/**
 * Reads server frames until a close frame and returns its status code, or
 * 1006 (RFC 6455: closed without a close frame) when the socket closes
 * first or nothing comes within `timeoutMs`.
 */
export function readCloseCode(socket: Socket, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const finish = (code: number): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(code);
    };
    const timer = setTimeout(() => finish(1006), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = nextServerFrame(buffered);
        if (!frame) return;
        buffered = buffered.subarray(frame.size);
        if (frame.opcode === 0x8) {
          finish(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005);
          return;
        }
      }
    });
    socket.on('close', () => finish(1006));
    socket.on('error', () => finish(1006));
  });
}

/** Parses one unmasked server frame from the front of `buffer`; undefined until it is complete. */
function nextServerFrame(buffer: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  let length = buffer[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return undefined;
  return { opcode: buffer[0] & 0x0f, payload: buffer.subarray(offset, offset + length), size: offset + length };
}
