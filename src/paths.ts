import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the rtbench package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** The folder that holds rtbench's package.json, from source (tests) and from dist alike. */
export const PACKAGE_ROOT = findPackageRoot();

export const TOOL_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Compiled entry points of the child processes. They run from dist/ even
 * when tests import the TypeScript sources, so `npm test` builds first.
 */
export const SERVER_ENTRY = join(PACKAGE_ROOT, 'dist', 'server', 'server-process.js');
export const GENERATOR_ENTRY = join(PACKAGE_ROOT, 'dist', 'driver', 'generator-process.js');
export const DAEMON_GUARD_ENTRY = join(PACKAGE_ROOT, 'dist', 'child', 'daemon-guard-process.js');
