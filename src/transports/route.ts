import type { IncomingMessage } from 'node:http';

/** The path of a request URL without its query string. */
export function routePath(request: IncomingMessage): string {
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
