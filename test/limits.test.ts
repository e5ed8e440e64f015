import { describe, expect, it } from 'vitest';
import { checkCapacity } from '../src/driver/limits.js';
import { ResourceLimitError } from '../src/errors.js';
import { parseStatCpuNs } from '../src/metrics/proc-stats.js';

describe('checkCapacity', () => {
  it('rejects more clients than the descriptor limit holds', () => {
    const check = () => checkCapacity(5000, { openFiles: 1024, portRange: [32768, 60999] });

    expect(check).toThrow(ResourceLimitError);
    expect(check).toThrow(
      '--clients 5000 needs 5064 file descriptors per process, but the limit (ulimit -n) is 1024: raise it with "ulimit -n 5064" (up to the hard limit, "ulimit -Hn") or use --clients 960 or fewer',
    );
  });

  it('rejects more clients than the ephemeral port range holds', () => {
    expect(() => checkCapacity(30_000, { openFiles: 100_000, portRange: [50000, 59999] })).toThrow(
      "--clients 30000 needs 30000 ephemeral ports, but net.ipv4.ip_local_port_range (50000-59999) has 10000: widen it with \"sysctl -w net.ipv4.ip_local_port_range='1024 65535'\" or use --clients 10000 or fewer",
    );
  });

  it('accepts a client count within both limits', () => {
    expect(() => checkCapacity(10_000, { openFiles: 20_000, portRange: [32768, 60999] })).not.toThrow();
  });
});

describe('parseStatCpuNs', () => {
  it('reads utime and stime after a command name with spaces and parentheses', () => {
    const stat = '1234 (node (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 100 0 0';

    expect(parseStatCpuNs(stat)).toBe(((250 + 50) * 1e9) / 100);
  });
});
