import { Command, InvalidArgumentError, Option } from 'commander';
import { renderRecommendedConfig } from '../../proxy/nginx-config.js';
import { DEFAULT_SERVER_SETTINGS } from '../../server/reference-server.js';
import { TRANSPORT_NAMES } from '../../transports/registry.js';
import type { TransportName } from '../../transports/types.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { integerInRange, transportList } from '../option-parsers.js';

interface ProxyConfigFlags {
  transports: TransportName[];
  upstreams: string[];
  listen: string;
  holdMs: number;
  heartbeatMs: number;
  keepalive: number;
}

/** host:port with a port from 1 to 65535; IPv6 hosts in brackets. */
const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function address(value: string): string {
  const match = ADDRESS.exec(value.trim());
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new InvalidArgumentError(`expected HOST:PORT, for example 127.0.0.1:8081, not "${value}"`);
  }
  return value.trim();
}

function addressList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list of HOST:PORT');
  return items.map(address);
}

export function proxyConfigCommand(io: CliIo, setExitCode: (code: ExitCodeValue) => void): Command {
  return new Command('proxy-config')
    .description('print the nginx settings rtbench recommends for each transport, ready to copy into the http { } block of nginx.conf')
    .addOption(new Option('-t, --transports <list>', `comma-separated transports (${TRANSPORT_NAMES.join(', ')}; aliases poll, ws)`).argParser(transportList).default([...TRANSPORT_NAMES], TRANSPORT_NAMES.join(',')))
    .addOption(new Option('--upstreams <list>', 'comma-separated HOST:PORT of the server instances').argParser(addressList).default(['127.0.0.1:8081', '127.0.0.1:8082'], '127.0.0.1:8081,127.0.0.1:8082'))
    .addOption(new Option('--listen <address>', 'HOST:PORT nginx listens on').argParser(address).default('127.0.0.1:8080'))
    .addOption(new Option('--hold-ms <ms>', 'long-poll hold of your server before it answers empty, in ms; sets the long-poll read timeout').argParser(integerInRange(100, 3_600_000)).default(DEFAULT_SERVER_SETTINGS.holdMs))
    .addOption(new Option('--heartbeat-ms <ms>', 'SSE heartbeat and WebSocket ping interval of your server, in ms').argParser(integerInRange(100, 3_600_000)).default(DEFAULT_SERVER_SETTINGS.heartbeatMs))
    .addOption(new Option('--keepalive <connections>', 'idle upstream connections kept per worker; about the concurrent long-poll clients per worker').argParser(integerInRange(1, 1_000_000)).default(1024))
    .action((flags: ProxyConfigFlags) => {
      io.stdout(
        renderRecommendedConfig({
          transports: flags.transports,
          upstreams: flags.upstreams,
          listen: flags.listen,
          timing: { holdMs: flags.holdMs, heartbeatMs: flags.heartbeatMs },
          keepalive: flags.keepalive,
        }),
      );
      setExitCode(ExitCode.OK);
    });
}
