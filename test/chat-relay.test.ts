import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../src/server/reference-server.js';
import type { WireMessage } from '../src/transports/message.js';
import { findTransport, TRANSPORT_NAMES } from '../src/transports/registry.js';
import type { SimulatedClient, TransportName } from '../src/transports/types.js';
import { startServer, waitFor } from './helpers/loopback.js';

/** One room member: its transport client and every message it received. */
interface Member {
  index: number;
  room: string;
  client: SimulatedClient;
  opened: boolean;
  messages: WireMessage[];
}

let server: ReferenceServer | undefined;
let members: Member[] = [];

afterEach(async () => {
  for (const member of members) member.client.close();
  members = [];
  await server?.close();
  server = undefined;
});

function join(transport: TransportName, baseUrl: string, index: number, room: string): Member {
  const member: Member = { index, room, opened: false, messages: [], client: undefined as unknown as SimulatedClient };
  member.client = findTransport(transport).createClient({
    baseUrl,
    stream: { parameter: 'room', name: room },
    events: {
      onOpen: () => {
        member.opened = true;
      },
      onMessage: (message) => {
        member.messages.push(message);
      },
      onError: () => undefined,
    },
  });
  member.client.connect();
  return member;
}

/** Sends as a browser chat on this transport would: over the WebSocket, else with POST /publish. */
async function send(transport: TransportName, sender: Member, text: string): Promise<number> {
  if (transport === 'websocket') {
    sender.client.send?.(text);
    return 204;
  }
  const response = await request(`${server!.url}/publish?room=${sender.room}`, { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
  await response.body.dump();
  return response.statusCode;
}

describe.each(TRANSPORT_NAMES)('%s chat relay', (transport) => {
  it('delivers a message once to each other member', async () => {
    server = await startServer(transport);
    members = [
      join(transport, server.url, 0, 'room-a'),
      join(transport, server.url, 1, 'room-a'),
      join(transport, server.url, 2, 'room-a'),
      join(transport, server.url, 3, 'room-a'),
      join(transport, server.url, 4, 'room-b'),
      join(transport, server.url, 5, 'room-b'),
    ];
    expect(await waitFor(() => members.every((member) => member.opened))).toBe(true);
    // A long-poll member is subscribed once its first poll, held on the room, has reached the server.
    expect(await waitFor(() => transport !== 'long-polling' || server!.stats().subscribers === members.length)).toBe(true);

    const [sender, ...others] = members;
    const due = String(process.hrtime.bigint());
    const status = await send(transport, sender, JSON.stringify({ due, from: sender.index, data: 'hello room-a' }));
    const receivers = others.filter((member) => member.room === 'room-a');
    expect(await waitFor(() => receivers.every((member) => member.messages.length >= 1))).toBe(true);
    // Time for a duplicate or a stray copy in the other room to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(status).toBe(204);
    for (const receiver of receivers) {
      expect(receiver.messages).toHaveLength(1);
      expect(receiver.messages[0]).toMatchObject({ seq: 0, due, from: 0 });
    }
    // The sender gets its own message back as the room's message 0: its echo, which the generator does not count.
    expect(sender.messages.map((message) => message.from)).toEqual([0]);
    for (const outsider of others.filter((member) => member.room === 'room-b')) expect(outsider.messages).toHaveLength(0);
  });
});
