import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageHistory, Replay } from '../../server/history.js';
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
 * - `GET /poll?cursor=N` answers with every held message after N, at once
 *   if there are some, else when the next one is published, else with 204
 *   after the hold timeout.
 *
 * The reply body is `{"cursor":C,"missed":M,"messages":[...]}`. `missed` is
 * the explicit gap signal: messages after N that the bounded history no
 * longer holds, so a client that comes back too late counts them as lost.
 *
 * With `&topic=NAME` or `&room=NAME` the same protocol runs on that
 * stream's own sequence numbers and history.
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
      this.context.counters.rejected++;
      response.writeHead(400, { 'Content-Type': 'text/plain' });
      response.end(`invalid cursor "${cursorText.slice(0, 64)}": expected -1 or a sequence number\n`);
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
      this.context.counters.rejected++;
      response.writeHead(400, { 'Content-Type': 'text/plain' });
      response.end(`invalid cursor "${cursorText.slice(0, 64)}": expected -1 or a sequence number\n`);
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
        body = bodyFor(history, poll.cursor);
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

  /** Answers every held poll; polls with the same cursor share one serialized body. */
  private answerHeldPolls(): void {
    const bodies = new Map<number, Buffer>();
    const history = this.context.publisher.history;
    for (const poll of this.held) {
      let body = bodies.get(poll.cursor);
      if (!body) {
        body = encodeBody(history.since(poll.cursor), history.latestSeq());
        bodies.set(poll.cursor, body);
      }
      clearTimeout(poll.timer);
      this.send(poll.response, body);
    }
    this.held.clear();
  }

  private reply(response: ServerResponse, replay: Replay, cursor: number): void {
    const latest = replay.messages.length > 0 ? replay.messages[replay.messages.length - 1].seq : cursor;
    this.send(response, encodeBody(replay, latest));
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

function bodyFor(history: MessageHistory, cursor: number): Buffer {
  return encodeBody(history.since(cursor), history.latestSeq());
}

function encodeBody(replay: Replay, cursor: number): Buffer {
  const messages = replay.messages.map((message) => message.json).join(',');
  return Buffer.from(`{"cursor":${cursor},"missed":${replay.missed},"messages":[${messages}]}`);
}
