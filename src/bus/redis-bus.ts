import { Redis, type RedisOptions } from 'ioredis';
import { createHistogram, encodeHistogram, recordNs, summarize, type Histogram, type LatencySummary } from '../metrics/histogram.js';
import type { StoredMessage } from '../server/history.js';
import type { Publisher } from '../server/publisher.js';
import type { StreamEvent, StreamHub } from '../server/streams.js';
import type { SeqRange } from '../server/schedule.js';
import { BusError } from '../errors.js';
import { redactRedisUrl } from './redis-url.js';

/** Settings one reference-server instance needs to join the bus. */
export interface RedisBusOptions {
  url: string;
  /** Pub/Sub channel of this transport run; unique per run so runs sharing one Redis never mix. */
  channel: string;
  /** This instance runs the broadcast schedule and publishes it to the channel. */
  publish: boolean;
  /** Index of the instance, for messages. */
  instance: number;
}

/** A bus connection that closed while the run still needed it. */
export interface BusFailure {
  instance: number;
  message: string;
  /** process.hrtime.bigint() when it happened, as a decimal string. */
  atNs: string;
}

/** Counts and bus hops of one instance; the orchestrator merges these. */
export interface BusSummary {
  instance: number;
  /** Messages this instance received from the channel. */
  received: number;
  /** Messages this instance handed to Redis and Redis acknowledged: the broadcast on the publishing instance, topic and room messages on any. */
  published: number;
  /** Publishes that Redis rejected or never acknowledged: lost for every instance. */
  publishFailed: number;
  /** Bus hop over the window: from the publisher's send to this instance's receipt, ms. */
  hopMs: LatencySummary;
  /** The hop histogram, encoded, so the orchestrator can merge instances exactly. */
  hopHistogram: string;
  failure?: BusFailure;
}

/** Reconnection attempts after a lost connection before ioredis gives up and ends it. */
const RECONNECT_ATTEMPTS = 5;

/**
 * ioredis settings that make a lost Redis show up as failed publishes and
 * missing messages at once instead of queued commands that wait for a
 * reconnect. RESP2 works with every Redis version that has Pub/Sub.
 */
const CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  connectTimeout: 5000,
  retryStrategy: (times) => (times > RECONNECT_ATTEMPTS ? null : Math.min(times * 200, 1000)),
  protocol: 2,
  maintNotifications: 'disabled',
  disableClientInfo: true,
};

/**
 * The Redis Pub/Sub bus, from the side of one reference-server instance. Every
 * instance subscribes and delivers what arrives to its own publisher, which
 * keeps its own history and fans out to its own clients. The publishing
 * instance routes its schedule into the channel instead of delivering
 * locally, so its clients take the same bus hop as everyone else's.
 *
 * A broadcast message on the channel is `<seq> <sentNs> <json>`: the JSON
 * is the one serialized by the publisher, untouched, so its due time still
 * stamps the intended publish time and measured latency includes the bus
 * hop. A topic or room message is `S <sentNs> <event JSON>`, without a
 * sequence number: Redis delivers one channel's messages to every
 * subscriber in the order it received them, so every instance numbers
 * them alike on arrival.
 */
export class RedisBus {
  private readonly subscriber: Redis;
  private publisherClient: Redis | undefined;
  private received = 0;
  private published = 0;
  private publishFailed = 0;
  private window: SeqRange | undefined;
  private hopHistogram: Histogram = createHistogram();
  private failure: BusFailure | undefined;
  private lastError: string | undefined;
  /** Set once subscribed: a connection that fails before that is a start error, not a bus failure. */
  private attached = false;
  private closing = false;

  private constructor(
    private readonly publisher: Publisher,
    private readonly streams: StreamHub,
    private readonly options: RedisBusOptions,
    private readonly onFailure: (failure: BusFailure) => void,
  ) {
    this.subscriber = this.createClient('subscriber');
  }

  /** Connects, subscribes and, on the publishing instance, routes the schedule into the channel. */
  static async attach(publisher: Publisher, streams: StreamHub, options: RedisBusOptions, onFailure: (failure: BusFailure) => void): Promise<RedisBus> {
    const bus = new RedisBus(publisher, streams, options, onFailure);
    try {
      await bus.connect();
    } catch (error) {
      bus.close();
      // ioredis rejects with "Connection is closed."; the socket error before it names the cause.
      const reason = bus.lastError ?? (error as Error).message;
      throw new BusError(
        'ERR_BUS_START',
        `instance ${options.instance} cannot connect to Redis at ${redactRedisUrl(options.url)}: ${reason}; check that it is running, or omit --redis-url so rtbench starts its own`,
      );
    }
    return bus;
  }

  /** Records the bus hop only for messages in this range. */
  setWindow(range: SeqRange): void {
    this.window = range;
    this.hopHistogram = createHistogram();
  }

  summary(): BusSummary {
    return {
      instance: this.options.instance,
      received: this.received,
      published: this.published,
      publishFailed: this.publishFailed,
      hopMs: summarize(this.hopHistogram),
      hopHistogram: encodeHistogram(this.hopHistogram),
      failure: this.failure,
    };
  }

  /** Drops both connections at once; never waits for Redis, which may be gone. */
  close(): void {
    this.closing = true;
    this.subscriber.disconnect();
    this.publisherClient?.disconnect();
  }

  private async connect(): Promise<void> {
    await this.subscriber.connect();
    this.subscriber.on('message', (_channel: string, payload: string) => this.receive(payload));
    await this.subscriber.subscribe(this.options.channel);

    // Every instance publishes: topic and room messages reach any of them.
    this.publisherClient = this.createClient('publisher');
    await this.publisherClient.connect();
    if (this.options.publish) this.publisher.routeThrough((message, sentNs) => this.send(message, sentNs));
    this.streams.routeThrough((event) => this.sendStreamEvent(event));
    this.attached = true;
  }

  private createClient(role: 'subscriber' | 'publisher'): Redis {
    const client = new Redis(this.options.url, CLIENT_OPTIONS);
    // Without an error listener ioredis prints every connection error to the console.
    client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    client.on('close', () => this.connectionLost(role));
    return client;
  }

  private send(message: StoredMessage, sentNs: bigint): void {
    this.publishPayload(`${message.seq} ${sentNs} ${message.json}`);
  }

  private sendStreamEvent(event: StreamEvent): void {
    this.publishPayload(`S ${process.hrtime.bigint()} ${JSON.stringify(event)}`);
  }

  private publishPayload(payload: string): void {
    const client = this.publisherClient;
    if (!client) return;
    client.publish(this.options.channel, payload).then(
      () => {
        this.published++;
      },
      (error: Error) => {
        this.publishFailed++;
        this.lastError = error.message;
        this.connectionLost('publisher');
      },
    );
  }

  private receive(payload: string): void {
    const receivedNs = process.hrtime.bigint();
    if (payload.startsWith('S ')) {
      this.receiveStreamEvent(payload);
      return;
    }
    const seqEnd = payload.indexOf(' ');
    const sentEnd = payload.indexOf(' ', seqEnd + 1);
    if (seqEnd <= 0 || sentEnd <= seqEnd) return;
    const seq = Number(payload.slice(0, seqEnd));
    const sentNs = BigInt(payload.slice(seqEnd + 1, sentEnd));

    this.received++;
    if (this.window && seq >= this.window.first && seq <= this.window.last) {
      recordNs(this.hopHistogram, Number(receivedNs - sentNs));
    }
    this.publisher.deliver({ seq, json: payload.slice(sentEnd + 1) }, receivedNs);
  }

  /** Numbers and delivers a topic or room message; its bus hop is not recorded. */
  private receiveStreamEvent(payload: string): void {
    const eventStart = payload.indexOf(' ', 2);
    if (eventStart === -1) return;
    this.received++;
    this.streams.apply(JSON.parse(payload.slice(eventStart + 1)) as StreamEvent);
  }

  /**
   * Reports the first lost connection. Pub/Sub keeps nothing for a
   * disconnected subscriber, so every message published until a reconnect
   * is lost for this instance even if ioredis reconnects.
   */
  private connectionLost(role: 'subscriber' | 'publisher'): void {
    if (!this.attached || this.closing || this.failure) return;
    const reason = this.lastError ? `: ${this.lastError}` : '';
    this.failure = {
      instance: this.options.instance,
      message: `instance ${this.options.instance} lost its ${role} connection to Redis at ${redactRedisUrl(this.options.url)}${reason}`,
      atNs: String(process.hrtime.bigint()),
    };
    this.onFailure(this.failure);
  }
}
