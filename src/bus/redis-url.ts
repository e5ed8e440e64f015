import { isIP } from 'node:net';
import { InvalidOptionError } from '../errors.js';

/**
 * Returns whether `host` names this machine: 127.0.0.0/8, ::1 (also as an
 * IPv4-mapped address) or `localhost`. Other host names are not resolved,
 * so a name that happens to point at loopback still counts as remote.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * Checks a --redis-url value and returns it unchanged. rtbench aims its
 * traffic only at loopback, so a remote host needs `allowRemote`.
 */
export function validateRedisUrl(value: string, allowRemote: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionError(`invalid --redis-url "${value}": expected redis://HOST:PORT, for example redis://127.0.0.1:6379`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new InvalidOptionError(`invalid --redis-url "${value}": the scheme must be redis:// or rediss://, not ${url.protocol}//`);
  }
  if (url.hostname === '') {
    throw new InvalidOptionError(`invalid --redis-url "${value}": the host is missing, for example redis://127.0.0.1:6379`);
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new InvalidOptionError(
      `--redis-url host ${url.hostname} is not a loopback address (127.0.0.0/8, ::1, localhost): ` +
        'rtbench sends traffic only to this machine; pass --allow-remote-redis to use it anyway',
    );
  }
  return value;
}

/** Hides the password of a Redis URL, for messages and reports. */
export function redactRedisUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

/** Hides the password of every Redis URL on a command line, for the report. */
export function redactCommand(command: readonly string[]): string[] {
  return command.map((argument) => (/^rediss?:\/\//.test(argument) || /^--redis-url=/.test(argument) ? argument.replace(/rediss?:\/\/\S+/, redactRedisUrl) : argument));
}

/** Hides the password of the Redis URL in the settings, for the report. */
export function redactSettings<T extends { redisUrl?: string }>(settings: T): T {
  return settings.redisUrl === undefined ? settings : { ...settings, redisUrl: redactRedisUrl(settings.redisUrl) };
}
