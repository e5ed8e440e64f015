/**
 * The broadcast message every reference server publishes and every client
 * parses: one JSON object, serialized once per publish.
 *
 *   {"seq":42,"due":"1234567890123","data":"xxxx"}
 *
 * `seq` counts up from 0 without gaps, so a client that sees a jump can
 * count what it lost. `due` is the intended publish time in nanoseconds of
 * process.hrtime.bigint() (CLOCK_MONOTONIC), written as a decimal string
 * because it can exceed 2^53. Clients on the same host subtract it from their
 * own hrtime to get publish-to-receive latency measured from the intended
 * time, so a late server cannot hide its delay.
 */
export interface WireMessage {
  seq: number;
  due: string;
  /** Index of the client that sent the message, on messages relayed to a room. */
  from?: number;
  data?: string;
}

export function encodeMessage(seq: number, dueNs: bigint, data: string): string {
  return `{"seq":${seq},"due":"${dueNs}","data":${JSON.stringify(data)}}`;
}

/**
 * A message a client sent to its room, as the server relays it: the
 * sender's intended send time stays the `due` time, so latency covers the
 * upstream path too. `dataJson` is the payload already serialized as JSON.
 */
export function encodeRelayedMessage(seq: number, due: string, from: number, dataJson: string): string {
  return `{"seq":${seq},"due":"${due}","from":${from},"data":${dataJson}}`;
}

const SEQ_PREFIX = '{"seq":';
const DUE_PREFIX = ',"due":"';
/** Follows the due time's closing quote in a message relayed to a room. */
const FROM_PREFIX = '","from":';

/**
 * Parses one message; returns undefined for anything that is not one.
 * Messages in the reference servers' own layout (seq first, then due) are
 * read by scanning the first few dozen characters. JSON.parse of the whole
 * payload, once per message per subscriber, was the generator's largest
 * cost apart from I/O. Anything else goes to JSON.parse.
 */
export function parseMessage(text: string): WireMessage | undefined {
  return scanMessageHead(text) ?? parseMessageJson(text);
}

function scanMessageHead(text: string): WireMessage | undefined {
  if (!text.startsWith(SEQ_PREFIX)) return undefined;
  let index = SEQ_PREFIX.length;
  const seqStart = index;
  while (index < text.length && isDigit(text.charCodeAt(index))) index++;
  if (index === seqStart || index - seqStart > 15 || !text.startsWith(DUE_PREFIX, index)) return undefined;
  const seq = Number(text.slice(seqStart, index));

  index += DUE_PREFIX.length;
  const dueStart = index;
  while (index < text.length && isDigit(text.charCodeAt(index))) index++;
  if (index === dueStart || text.charCodeAt(index) !== 0x22) return undefined;
  const due = text.slice(dueStart, index);
  if (!text.startsWith(FROM_PREFIX, index)) return { seq, due };

  index += FROM_PREFIX.length;
  const fromStart = index;
  while (index < text.length && isDigit(text.charCodeAt(index))) index++;
  if (index === fromStart || index - fromStart > 15) return undefined;
  return { seq, due, from: Number(text.slice(fromStart, index)) };
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function parseMessageJson(text: string): WireMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isWireMessage(value) ? value : undefined;
}

export function isWireMessage(value: unknown): value is WireMessage {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return Number.isInteger(candidate.seq) && typeof candidate.due === 'string';
}

/** Builds a payload of exactly `bytes` ASCII characters, so the JSON body has a known size. */
export function makePayload(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let payload = '';
  for (let i = 0; i < bytes; i++) payload += alphabet[i % alphabet.length];
  return payload;
}
