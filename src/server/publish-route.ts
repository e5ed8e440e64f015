import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamParameter } from '../transports/stream-route.js';
import type { ServerCounters } from '../transports/types.js';
import type { StreamHub } from './streams.js';

/**
 * The upstream route for clients whose transport only flows from server to
 * client (SSE, long polling): `POST /publish?room=NAME` with the body
 * {"due":"<ns>","from":<client index>,"data":"<text>"} relays the message
 * to every member of the room, like a chat application's "send" endpoint.
 * Every reference server has it; WebSocket clients send over their socket.
 */
export const PUBLISH_PATH = '/publish';

export function handlePublish(
  request: IncomingMessage,
  response: ServerResponse,
  streams: StreamHub,
  counters: ServerCounters,
  maxBodyBytes: number,
): void {
  if (request.method !== 'POST') {
    reject(response, counters, 405, `${PUBLISH_PATH} accepts POST only`, { Allow: 'POST' });
    return;
  }
  const parameter = streamParameter(request);
  if ('error' in parameter) {
    reject(response, counters, 400, parameter.error);
    return;
  }
  const stream = parameter.stream;
  if (stream === undefined) {
    reject(response, counters, 400, `${PUBLISH_PATH} needs ?room=NAME or ?topic=NAME`);
    return;
  }

  const chunks: Buffer[] = [];
  let bytes = 0;
  request.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBodyBytes) {
      // The rest of the body is read and dropped; Connection: close ends the socket after the reply.
      reject(response, counters, 413, `the body exceeds ${maxBodyBytes} bytes`, { Connection: 'close' });
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (response.headersSent) return;
    const problem = streams.relay(stream, Buffer.concat(chunks).toString('utf8'));
    if (problem !== undefined) {
      reject(response, counters, 400, `invalid message: ${problem}`);
      return;
    }
    response.writeHead(204);
    response.end();
  });
}

function reject(response: ServerResponse, counters: ServerCounters, status: number, reason: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  counters.rejected++;
  response.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  response.end(`${reason}\n`);
}
