/**
 * The one message a WebSocket client may send to the reference server:
 *
 *   {"type":"resume","lastSeq":41}
 *
 * WebSocket has no standard way to catch up after a reconnect (SSE has
 * Last-Event-ID, long polling its cursor), so an application that must not
 * lose messages builds a protocol like this one. The server answers by
 * replaying every message after `lastSeq` that its history still holds.
 */
export interface ResumeRequest {
  type: 'resume';
  /** The highest sequence number the client received; -1 for none. */
  lastSeq: number;
}

export function encodeResume(lastSeq: number): string {
  return `{"type":"resume","lastSeq":${lastSeq}}`;
}

/** A client message the server understood, or why it could not. */
export type ClientMessage = { ok: true; request: ResumeRequest } | { ok: false; reason: string; detail: string };

/** Sequence numbers stay below 2^53, so the JSON number is exact. */
function isSequenceNumber(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= -1;
}

export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid-json', detail: 'message is not JSON' };
  }
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'resume') {
    return { ok: false, reason: 'unknown-message', detail: 'expected {"type":"resume","lastSeq":N}' };
  }
  const lastSeq = (value as { lastSeq?: unknown }).lastSeq;
  if (!isSequenceNumber(lastSeq)) {
    return { ok: false, reason: 'invalid-resume', detail: 'lastSeq must be -1 or a sequence number' };
  }
  return { ok: true, request: { type: 'resume', lastSeq } };
}
