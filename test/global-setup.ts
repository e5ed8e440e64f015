import { HAS_NGINX, HAS_REDIS } from './helpers/daemons.js';

/**
 * Runs once before all test files. The Redis and nginx tests skip
 * themselves when those servers are missing; this prints the one line
 * that reports it. CI installs both (.ci/run), so there a missing one fails
 * the run instead of skipping tests silently.
 */
export default function setup(): void {
  const missing = [HAS_REDIS ? undefined : 'redis-server', HAS_NGINX ? undefined : 'nginx'].filter((name) => name !== undefined);
  if (missing.length === 0) return;
  const line = `${missing.join(' and ')} not found on PATH: skipping the tests that need ${missing.length === 1 ? 'it' : 'them'} (apt-get install redis-server nginx)`;
  const ci = process.env.CI;
  if (ci !== undefined && ci !== '' && ci !== 'false') throw new Error(`${line}; CI must run them`);
  console.log(line);
}
