/**
 * Connection errors that mean the load generator hit a limit of its own
 * machine, not that the server failed, with the limit and how to raise it.
 */
const RESOURCE_ERRORS: Record<string, string> = {
  EMFILE:
    'the load generator reached its file-descriptor limit (ulimit -n, per process): raise it with "ulimit -n" up to the hard limit ("ulimit -Hn"), or lower --clients',
  ENFILE: 'the host ran out of file descriptors (fs.file-max): raise it with "sysctl -w fs.file-max=N", or lower --clients',
  EADDRNOTAVAIL:
    'the load generator found no free ephemeral port for a source address (net.ipv4.ip_local_port_range): ' +
    'widen the range with "sysctl -w net.ipv4.ip_local_port_range=\'1024 65535\'", or lower --connections-per-address so that clients spread over more 127.0.0.x addresses',
  EADDRINUSE:
    'the load generator found no free ephemeral port for a source address (net.ipv4.ip_local_port_range): ' +
    'widen the range, or lower --connections-per-address so that clients spread over more 127.0.0.x addresses',
};

/** Whether an error code is a limit of the load generator's machine. */
export function isResourceError(code: string): boolean {
  return code in RESOURCE_ERRORS;
}

/** One line per resource-limit error code in `errors` (code to count), naming the limit and how to raise it. */
export function describeResourceErrors(errors: Record<string, number>): string[] {
  const lines: string[] = [];
  for (const [code, count] of Object.entries(errors)) {
    const description = RESOURCE_ERRORS[code];
    if (description) lines.push(`${count} client connections failed with ${code}: ${description}`);
  }
  return lines;
}
