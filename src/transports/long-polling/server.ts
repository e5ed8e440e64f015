import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageHistory, Replay } from '../../server/history.js';
import { decideSend } from '../backpressure.js';
import { echo, rejectRequest } from '../http-reply.js';
import { routePath } from '../route.js';
import { rejectStream, streamParameter } from '../stream-route.js';
import { StreamSubscribers } from '../stream-subscribers.js';
import type { ServerContext, TransportServer } from '../types.js';

export const POLL_PATH = '/poll';

/** A cursor is -1 (nothing received yet) or a sequence number already delivered. */
const CURSOR = /^(-1|\d{1,15})$/;

interface HeldPoll {
  response: ServerResponse;
  cursor: number;
  timer: NodeJS.Timeout;
}

/**
 * Long-polling reference server on node:http.
 *
 * - `GET /poll` answers at once with the newest sequence number as the
 *   cursor: the subscription starts there.
 * - `GET /poll?cursor=N` responds with the held messages after N (as many
 *   as fit the send-buffer limit), at once if there are some, else when
 *   the next one is published, else with 204 after the hold timeout.
 *
 * The reply body is `{"cursor":C,"missed":M,"messages":[...]}`. `missed` is
 * the explicit gap signal: messages after N that the bounded history no
 * longer holds, so a client that comes back too late counts them as lost.
 *
 * With `&topic=NAME` or `&room=NAME` the same protocol runs on that
 * stream's own sequence numbers and history.
 * A client that stops reading has at most one response waiting in the
 * server: it cannot poll again before it reads, and the reference server
 * closes a connection that pipelines a request behind an unfinished
 * response. A response contains at most about the send-buffer limit of
 * messages.
 */
export class LongPollingTransportServer implements TransportServer {
  private readonly held = new Set<HeldPoll>();
  private readonly streamHeld = new StreamSubscribers<HeldPoll>();

  constructor(private readonly context: ServerContext) {
    context.publisher.onPublish(() => this.answerHeldPolls());
    context.streams.onPublish((stream) => this.answerStreamPolls(stream));
  }

  subscriberCount(): number {
    return this.held.size + this.streamHeld.size;
  }

  streamSubscriberCount(stream: string): number {
    return this.streamHeld.countOf(stream);
  }

  close(): void {
    for (const poll of [...this.held, ...this.streamHeld.all()]) {
      clearTimeout(poll.timer);
      poll.response.destroy();
    }
    this.held.clear();
    this.streamHeld.clear();
  }

  handleRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (routePath(request) !== POLL_PATH) return false;
    if (request.method !== 'GET') {
      rejectRequest(this.context.counters, response, 405, 'method-not-allowed', `${echo(request.method ?? '')} is not allowed on ${POLL_PATH}: use GET`, { Allow: 'GET' });
      return true;
    }
    const parameter = streamParameter(request);
    if ('error' in parameter) {
      this.context.counters.rejected++;
      return rejectStream(response, parameter.error);
    }
    if (parameter.stream !== undefined) return this.handleStreamPoll(request, response, parameter.stream);
    const url = request.url ?? '';
    const queryStart = url.indexOf('?');

    const cursorText = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1)).get('cursor');
    if (cursorText === null) {
      this.reply(response, { messages: [], missed: 0 }, this.context.publisher.history.latestSeq());
      return true;
    }
    if (!CURSOR.test(cursorText)) {
      rejectRequest(this.context.counters, response, 400, 'invalid-cursor', `invalid cursor "${echo(cursorText)}": expected -1 or a sequence number`);
      return true;
    }

    const cursor = Number(cursorText);
    const replay = this.context.publisher.history.since(cursor);
    if (replay.messages.length > 0 || replay.missed > 0) {
      this.reply(response, replay, cursor);
      return true;
    }
    this.hold(response, cursor);
    return true;
  }

  /** The same protocol as the broadcast poll, on one stream's history and sequence numbers. */
  private handleStreamPoll(request: IncomingMessage, response: ServerResponse, stream: string): true {
    const history = this.context.streams.history(stream);
    const cursorText = cursorParameter(request);
    if (cursorText === null) {
      this.reply(response, { messages: [], missed: 0 }, history.latestSeq());
      return true;
    }
    if (!CURSOR.test(cursorText)) {
      rejectRequest(this.context.counters, response, 400, 'invalid-cursor', `invalid cursor "${echo(cursorText)}": expected -1 or a sequence number`);
      return true;
    }

    const cursor = Number(cursorText);
    const replay = history.since(cursor);
    if (replay.messages.length > 0 || replay.missed > 0) {
      this.reply(response, replay, cursor);
      return true;
    }
    this.holdOnStream(response, cursor, stream);
    return true;
  }

  private holdOnStream(response: ServerResponse, cursor: number, stream: string): void {
    const poll: HeldPoll = {
      response,
      cursor,
      timer: setTimeout(() => {
        this.streamHeld.delete(stream, poll);
        this.expire(poll);
      }, this.context.settings.holdMs),
    };
    this.streamHeld.add(stream, poll);
    response.on('close', () => {
      clearTimeout(poll.timer);
      this.streamHeld.delete(stream, poll);
    });
  }

  /** Answers every poll held on the stream that just got a message; polls with the same cursor share one body. */
  private answerStreamPolls(stream: string): void {
    const polls = this.streamHeld.take(stream);
    if (!polls) return;
    const history = this.context.streams.history(stream);
    const bodies = new Map<number, Buffer>();
    for (const poll of polls) {
      let body = bodies.get(poll.cursor);
      if (!body) {
        body = bodyFor(history, poll.cursor, this.context.settings.sendBufferLimitBytes);
        bodies.set(poll.cursor, body);
      }
      clearTimeout(poll.timer);
      this.send(poll.response, body);
    }
  }

  private hold(response: ServerResponse, cursor: number): void {
    const poll: HeldPoll = {
      response,
      cursor,
      timer: setTimeout(() => this.expire(poll), this.context.settings.holdMs),
    };
    this.held.add(poll);
    response.on('close', () => {
      clearTimeout(poll.timer);
      this.held.delete(poll);
    });
  }

  private expire(poll: HeldPoll): void {
    this.held.delete(poll);
    this.context.counters.pollsAnswered++;
    poll.response.writeHead(204);
    poll.response.end();
  }

  /**
   * Responds to every held poll; polls with the same cursor share one
   * serialized body. A poll whose connection still has unsent bytes above
   * the limit stays held under the drop policy and gets the messages with a
   * later publish, or is closed under the close policy. This is a second
   * line of defence: a client polls only after reading, because the
   * reference server closes connections that pipeline.
   */
  private answerHeldPolls(): void {
    const bodies = new Map<number, Buffer>();
    const { publisher, settings, counters } = this.context;
    const history = publisher.history;
    for (const poll of this.held) {
      const decision = decideSend(poll.response.socket?.writableLength ?? 0, settings, counters);
      if (decision === 'drop') continue;
      this.held.delete(poll);
      clearTimeout(poll.timer);
      if (decision === 'close') {
        poll.response.destroy();
        continue;
      }
      let body = bodies.get(poll.cursor);
      if (!body) {
        body = encodeBody(history.since(poll.cursor), poll.cursor, settings.sendBufferLimitBytes);
        bodies.set(poll.cursor, body);
      }
      this.send(poll.response, body);
    }
  }

  private reply(response: ServerResponse, replay: Replay, cursor: number): void {
    this.send(response, encodeBody(replay, cursor, this.context.settings.sendBufferLimitBytes));
  }

  private send(response: ServerResponse, body: Buffer): void {
    this.context.counters.pollsAnswered++;
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'Content-Length': body.length,
    });
    response.end(body);
  }
}

function cursorParameter(request: IncomingMessage): string | null {
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  return new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1)).get('cursor');
}

function bodyFor(history: MessageHistory, cursor: number, maxBytes: number): Buffer {
  return encodeBody(history.since(cursor), cursor, maxBytes);
}

/**
 * Encodes one response body: the messages of the replay that fit
 * `maxBytes` (at least one), and as cursor the last of them, or `cursor`
 * when there are none. A client far behind gets the rest with its next
 * polls, which come at once, so no response keeps more than about the
 * send-buffer limit in the server.
 */
function encodeBody(replay: Replay, cursor: number, maxBytes: number): Buffer {
  const page: string[] = [];
  let bytes = 0;
  let last = cursor;
  for (const message of replay.messages) {
    bytes += message.json.length + 1;
    if (page.length > 0 && bytes > maxBytes) break;
    page.push(message.json);
    last = message.seq;
  }
  return Buffer.from(`{"cursor":${last},"missed":${replay.missed},"messages":[${page.join(',')}]}`);
}
