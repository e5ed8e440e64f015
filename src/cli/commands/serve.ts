import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKPRESSURE_POLICIES, type BackpressurePolicy } from '../../server/limits.js';
import { DEFAULT_SERVER_SETTINGS, ReferenceServer } from '../../server/reference-server.js';
import { findTransport, TRANSPORT_NAMES } from '../../transports/registry.js';
import { InvalidOptionError } from '../../errors.js';
import { EXIT_CODE_HELP, ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { integerInRange, numberInRange, oneOf } from '../option-parsers.js';
import { SSE_PATH } from '../../transports/sse/server.js';
import { POLL_PATH } from '../../transports/long-polling/server.js';
import { WEBSOCKET_PATH } from '../../transports/websocket/server.js';
import { PUBLISH_PATH } from '../../server/publish-route.js';

interface ServeFlags {
  port: number;
  rate: number;
  payloadBytes: number;
  injectDelayMs: number;
  injectCostUs: number;
  heartbeatMs: number;
  holdMs: number;
  allowedOrigins?: string[];
  maxConnections: number;
  sendBufferLimit: number;
  onBackpressure: BackpressurePolicy;
}

function originList(value: string): string[] {
  const origins = value.split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0);
  if (origins.length === 0) throw new InvalidArgumentError('expected a comma-separated list of origins, for example https://app.example');
  return origins;
}

const ROUTES: Record<string, string> = { 'long-polling': `${POLL_PATH}?cursor=-1`, sse: SSE_PATH, websocket: WEBSOCKET_PATH };

/** Loopback addresses only: rtbench's reference servers are benchmark targets, not services. */
const HOST = '127.0.0.1';

export function serveCommand(io: CliIo, setExitCode: (code: ExitCodeValue) => void): Command {
  return new Command('serve')
    .description(`run one reference server in the foreground on ${HOST} until Ctrl-C (transports: ${TRANSPORT_NAMES.join(', ')})`)
    .argument('<transport>', `transport to serve: ${TRANSPORT_NAMES.join(', ')} (aliases poll, ws)`)
    .addOption(new Option('-p, --port <port>', 'TCP port on 127.0.0.1; 0 picks a free port').argParser(integerInRange(0, 65535)).default(8080))
    .addOption(new Option('-r, --rate <messages-per-second>', 'broadcast messages per second; 0 publishes nothing').argParser(numberInRange(0, 100_000)).default(1))
    .addOption(new Option('--payload-bytes <bytes>', 'payload size of each message, in bytes').argParser(integerInRange(1, 1_048_576)).default(DEFAULT_SERVER_SETTINGS.payloadBytes))
    .addOption(new Option('--inject-delay-ms <ms>', 'hold every message this long past its due time (calibration), in ms').argParser(numberInRange(0, 60_000)).default(0))
    .addOption(new Option('--inject-cost-us <us>', 'busy-wait this long per message and subscriber before each fan-out (calibration), in µs').argParser(numberInRange(0, 1_000_000)).default(0))
    .addOption(new Option('--heartbeat-ms <ms>', 'SSE heartbeat and WebSocket ping interval, in ms').argParser(integerInRange(100, 3_600_000)).default(DEFAULT_SERVER_SETTINGS.heartbeatMs))
    .addOption(new Option('--hold-ms <ms>', 'long-poll hold timeout before a 204, in ms').argParser(integerInRange(100, 3_600_000)).default(DEFAULT_SERVER_SETTINGS.holdMs))
    .addOption(new Option('--allowed-origins <list>', 'comma-separated Origins that may open WebSocket and SSE subscriptions; others get 403 (default: any)').argParser(originList))
    .addOption(new Option('--max-connections <count>', 'open connections beyond this get 503; 0 stays just below the descriptor limit').argParser(integerInRange(0, 10_000_000)).default(0))
    .addOption(new Option('--send-buffer-limit <bytes>', 'bytes a subscriber may have waiting in the server beyond the kernel buffer before --on-backpressure applies, in bytes').argParser(integerInRange(1024, 1_073_741_824)).default(DEFAULT_SERVER_SETTINGS.sendBufferLimitBytes))
    .addOption(new Option('--on-backpressure <policy>', 'what the server does with a subscriber above the send-buffer limit: drop its messages or close it').argParser(oneOf(BACKPRESSURE_POLICIES)).default(DEFAULT_SERVER_SETTINGS.backpressurePolicy))
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    .action(async (transportName: string, flags: ServeFlags) => {
      setExitCode(await serve(io, transportName, flags));
    });
}

async function serve(io: CliIo, transportName: string, flags: ServeFlags): Promise<ExitCodeValue> {
  let transport;
  try {
    transport = findTransport(transportName);
  } catch (error) {
    throw new InvalidOptionError((error as Error).message);
  }

  const server = await ReferenceServer.start({
    ...DEFAULT_SERVER_SETTINGS,
    transport: transport.name,
    host: HOST,
    port: flags.port,
    payloadBytes: flags.payloadBytes,
    injectDelayMs: flags.injectDelayMs,
    injectCostUs: flags.injectCostUs,
    heartbeatMs: flags.heartbeatMs,
    holdMs: flags.holdMs,
    allowedOrigins: flags.allowedOrigins ?? null,
    maxConnections: flags.maxConnections,
    sendBufferLimitBytes: flags.sendBufferLimit,
    backpressurePolicy: flags.onBackpressure as BackpressurePolicy,
  });
  if (flags.rate > 0) server.publisher.start(flags.rate);

  const endpoint = `${server.url}${ROUTES[transport.name]}`.replace(/^http:(.*\/ws)$/, 'ws:$1');
  io.stdout(`${transport.name} reference server listening on ${server.url}\n`);
  io.stdout(`subscribe at ${endpoint} (${flags.rate} messages/s); Ctrl-C stops\n`);
  io.stdout(`rooms and topics: add the query parameter room=NAME or topic=NAME; send to a room with POST ${server.url}${PUBLISH_PATH}?room=NAME\n`);

  const signal = await new Promise<string>((resolve) => {
    const remove = io.onInterrupt((name) => {
      remove();
      resolve(name);
    });
  });
  await server.close();
  io.stderr(`stopped on ${signal}\n`);
  return ExitCode.OK;
}
