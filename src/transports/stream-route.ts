import type { IncomingMessage, ServerResponse } from 'node:http';

/** A topic or room name: letters, digits and . _ : - only, so it is safe in URLs, logs and map keys. */
const STREAM_NAME = /^[A-Za-z0-9._:-]{1,128}$/;

/** The stream a request names with `?topic=` or `?room=`; both name the same kind of stream. */
export type StreamParameter = { stream: string | undefined } | { error: string };

/**
 * Reads `?topic=NAME` or `?room=NAME` from a request URL. Without either,
 * the request is for the broadcast stream (stream undefined).
 */
export function streamParameter(request: IncomingMessage): StreamParameter {
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return { stream: undefined };
  // Every long poll of the broadcast stream passes here; skip parsing its query when it names no stream.
  if (!url.includes('topic=', queryStart) && !url.includes('room=', queryStart)) return { stream: undefined };

  const query = new URLSearchParams(url.slice(queryStart + 1));
  const topic = query.get('topic');
  const room = query.get('room');
  if (topic !== null && room !== null) return { error: 'give either ?topic= or ?room=, not both' };
  const name = topic ?? room;
  if (name === null) return { stream: undefined };
  if (!STREAM_NAME.test(name)) {
    return { error: `invalid stream name "${name.slice(0, 64)}": expected 1 to 128 letters, digits or . _ : -` };
  }
  return { stream: name };
}

/** Responds 400 with the reason, and returns true so route handlers can `return rejectStream(...)`. */
export function rejectStream(response: ServerResponse, reason: string): true {
  response.writeHead(400, { 'Content-Type': 'text/plain' });
  response.end(`${reason}\n`);
  return true;
}

/** The query string that subscribes to a stream, for client URLs: `topic=NAME` or `room=NAME`. */
export interface StreamSubscription {
  parameter: 'topic' | 'room';
  name: string;
}

/** Appends the stream's query parameter to a path that may already have a query string. */
export function withStream(path: string, subscription: StreamSubscription | undefined): string {
  if (!subscription) return path;
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}${subscription.parameter}=${encodeURIComponent(subscription.name)}`;
}
