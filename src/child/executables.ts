import { accessSync, constants, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * Folders searched after PATH. Debian and Ubuntu install nginx into
 * /usr/sbin, which is not on the PATH of most non-root users.
 */
const SYSTEM_FOLDERS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The full path of an executable named `name` on `pathVariable` or in the sbin folders, or undefined. */
export function findExecutable(name: string, pathVariable: string | undefined = process.env.PATH): string | undefined {
  const folders = [...(pathVariable ?? '').split(delimiter).filter((folder) => folder.length > 0), ...SYSTEM_FOLDERS];
  for (const folder of folders) {
    const candidate = join(folder, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A TCP port that was free on `host` a moment ago. Another process can take
 * it before the caller binds it, so callers that start a server on it check
 * that their own server answers there.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
