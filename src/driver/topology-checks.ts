import { availableParallelism } from 'node:os';
import { requireRedisServer } from '../bus/redis-server.js';
import { validateRedisUrl } from '../bus/redis-url.js';
import { InvalidOptionError } from '../errors.js';
import { planNginxWorkers, readHardOpenFilesLimit } from '../proxy/nginx-capacity.js';
import { requireNginx } from '../proxy/nginx-process.js';
import type { RunSettings } from '../scenarios/settings.js';

/**
 * Rejects a topology that cannot run, before anything starts: several
 * instances without a shared bus, a remote Redis without permission, a
 * missing redis-server or nginx, or more clients than nginx's workers can
 * hold under the hard descriptor limit.
 */
export function checkTopology(settings: RunSettings, pathVariable: string | undefined = process.env.PATH): void {
  if (settings.instances > 1 && settings.bus === 'memory') {
    throw new InvalidOptionError(
      `--instances ${settings.instances} needs --bus redis: with the in-process bus each instance would publish only to its own clients`,
    );
  }
  if (settings.redisUrl !== undefined && settings.bus !== 'redis') {
    throw new InvalidOptionError('--redis-url needs --bus redis');
  }

  if (settings.bus === 'redis') {
    if (settings.redisUrl !== undefined) validateRedisUrl(settings.redisUrl, settings.allowRemoteRedis);
    else requireRedisServer(pathVariable);
  }

  if (settings.proxy !== 'none') {
    requireNginx(pathVariable);
    planNginxWorkers(settings.clients, availableParallelism(), readHardOpenFilesLimit());
  }
}
