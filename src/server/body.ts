import type { IncomingMessage, ServerResponse } from 'node:http';
import { echo, rejectRequest } from '../transports/http-reply.js';
import type { ServerCounters } from '../transports/types.js';

/**
 * Reads a JSON request body of at most `maxBytes` for a route that accepts
 * one (a chat message POST, for example). It responds to the request itself
 * and resolves to undefined when the body is unusable:
 *
 * - 413 when Content-Length or the bytes received exceed the limit; the
 *   rest of the body is not read,
 * - 415 when Content-Type is not application/json,
 * - 400 when the body is not valid JSON.
 *
 * Each answer is counted under its status and reason.
 */
export function readJsonBody(request: IncomingMessage, response: ServerResponse, counters: ServerCounters, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    rejectBodyTooLarge(request, response, counters, maxBytes);
    return Promise.resolve(undefined);
  }
  const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/json') {
    rejectRequest(counters, response, 415, 'unsupported-media-type', `Content-Type "${echo(contentType)}" is not accepted: send application/json`);
    request.resume();
    return Promise.resolve(undefined);
  }
  return collect(request, response, counters, maxBytes);
}

function collect(request: IncomingMessage, response: ServerResponse, counters: ServerCounters, maxBytes: number): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;

    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) {
        request.off('data', onData);
        rejectBodyTooLarge(request, response, counters, maxBytes);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('error', () => resolve(undefined));
    request.on('end', () => {
      if (received > maxBytes) return;
      resolve(parseJson(Buffer.concat(chunks).toString('utf8'), response, counters));
    });
  });
}

function parseJson(text: string, response: ServerResponse, counters: ServerCounters): unknown {
  try {
    return JSON.parse(text);
  } catch {
    rejectRequest(counters, response, 400, 'invalid-json', 'request body is not valid JSON');
    return undefined;
  }
}

/** Responds with 413 and stops reading: the connection closes, so the client cannot send the rest. */
function rejectBodyTooLarge(request: IncomingMessage, response: ServerResponse, counters: ServerCounters, maxBytes: number): void {
  rejectRequest(counters, response, 413, 'body-too-large', `request body is larger than the limit of ${maxBytes} bytes`);
  request.pause();
}
