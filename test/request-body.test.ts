import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounters } from '../src/faults/fault-runner.js';
import { readJsonBody } from '../src/server/body.js';
import { exchange, statusOf } from './helpers/raw-http.js';

const MAX_BYTES = 64;
const counters = emptyCounters();

/** Starts a server whose one route reads a JSON body with readJsonBody and echoes it back. */
function startEchoServer(): Promise<Server> {
  const server = createServer(async (request, response) => {
    const body = await readJsonBody(request, response, counters, MAX_BYTES);
    if (body === undefined) return;
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function post(body: string, headers: Record<string, string>): string {
  const lines = Object.entries({ Host: 'x', Connection: 'close', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `POST /messages HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

function chunked(body: string): string {
  return `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('readJsonBody', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = await startEchoServer();
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    { name: 'valid JSON', request: post('{"text":"hi"}', { ...JSON_TYPE, 'Content-Length': '13' }), status: 200, reason: undefined },
    { name: 'a body that is not JSON', request: post('hello', { ...JSON_TYPE, 'Content-Length': '5' }), status: 400, reason: '400 invalid-json' },
    { name: 'a declared length above the limit', request: post('{}', { ...JSON_TYPE, 'Content-Length': String(MAX_BYTES + 1) }), status: 413, reason: '413 body-too-large' },
    { name: 'a chunked body above the limit', request: post(chunked(`"${'a'.repeat(MAX_BYTES)}"`), { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }), status: 413, reason: '413 body-too-large' },
    { name: 'a Content-Type other than JSON', request: post('{}', { 'Content-Type': 'text/plain', 'Content-Length': '2' }), status: 415, reason: '415 unsupported-media-type' },
  ])('answers $name with $status', async ({ request, status, reason }) => {
    const before = reason ? (counters.rejections[reason] ?? 0) : 0;

    const answer = await exchange(port, request, 1000);

    expect(statusOf(answer)).toBe(status);
    if (reason) expect((counters.rejections[reason] ?? 0) - before).toBe(1);
  });

  it('echoes a valid body unchanged', async () => {
    const answer = await exchange(port, post('{"text":"hi"}', { ...JSON_TYPE, 'Content-Length': '13' }), 1000);

    expect(answer).toContain('{"text":"hi"}');
  });
});
