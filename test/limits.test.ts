import { describe, expect, it } from 'vitest';
import { checkCapacity } from '../src/driver/limits.js';
import { defaultConnectionsPerAddress, planSourceAddresses } from '../src/driver/source-addresses.js';
import { describeResourceErrors } from '../src/driver/resource-errors.js';
import { ResourceLimitError } from '../src/errors.js';
import { parseStatCpuNs } from '../src/metrics/proc-stats.js';

describe('checkCapacity', () => {
  it('rejects more clients than the descriptor limit holds', () => {
    const check = () => checkCapacity(5000, { openFiles: 1024, openFilesHard: 65536, portRange: [32768, 60999] });

    expect(check).toThrow(ResourceLimitError);
    expect(check).toThrow(
      '--clients 5000 needs 5064 file descriptors per process, but the limit (ulimit -n) is 1024: raise it with "ulimit -n 5064" (up to the hard limit, "ulimit -Hn") or use --clients 960 or fewer',
    );
  });

  it('names root for a low hard limit', () => {
    expect(() => checkCapacity(25_000, { openFiles: 20_000, openFilesHard: 20_000, portRange: [32768, 60999] })).toThrow(
      '--clients 25000 needs 25064 file descriptors per process, but the limit (ulimit -n) is 20000 and the hard limit (ulimit -Hn) is 20000: ' +
        'only root can raise the hard limit (nofile in /etc/security/limits.conf, or LimitNOFILE= for a systemd unit), so use --clients 19936 or fewer',
    );
  });

  it('spreads more clients than one port range holds over source addresses', () => {
    const plan = checkCapacity(30_000, { openFiles: 100_000, portRange: [50000, 59999] });

    expect(plan.connectionsPerAddress).toBe(9000);
    expect(plan.sourceAddresses).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']);
  });

  it('uses one source address within the port range', () => {
    expect(checkCapacity(10_000, { openFiles: 20_000, portRange: [32768, 60999] }).sourceAddresses).toBeUndefined();
  });

  it('applies a per-address budget that is set', () => {
    expect(checkCapacity(200, { openFiles: 20_000, portRange: [32768, 60999] }, 50).sourceAddresses).toHaveLength(4);
  });
});

describe('planSourceAddresses', () => {
  it('needs one address more for every budget started', () => {
    expect(planSourceAddresses(100, 100)).toBeUndefined();
    expect(planSourceAddresses(101, 100)).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('rejects a plan beyond 254 addresses and names the fixes', () => {
    expect(() => planSourceAddresses(2550, 10)).toThrow(
      "--clients 2550 needs 255 loopback source addresses at 10 connections each, but rtbench uses at most 254 (127.0.0.1-127.0.0.254): " +
        "widen the ephemeral port range with \"sysctl -w net.ipv4.ip_local_port_range='1024 65535'\", raise --connections-per-address, or use --clients 2540 or fewer",
    );
  });

  it('budgets the default port range at about 27,000 per address', () => {
    expect(defaultConnectionsPerAddress([32768, 60999])).toBe(27_232);
  });
});

describe('describeResourceErrors', () => {
  it('names the limit behind EMFILE and EADDRNOTAVAIL and how to raise it', () => {
    const lines = describeResourceErrors({ EMFILE: 12, ECONNRESET: 3, EADDRNOTAVAIL: 2 });

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^12 client connections failed with EMFILE: the load generator reached its file-descriptor limit \(ulimit -n, per process\): raise it/);
    expect(lines[1]).toMatch(/^2 client connections failed with EADDRNOTAVAIL: .*net\.ipv4\.ip_local_port_range.*--connections-per-address/);
  });
});

describe('parseStatCpuNs', () => {
  it('reads utime and stime after a command name with spaces and parentheses', () => {
    const stat = '1234 (node (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 100 0 0';

    expect(parseStatCpuNs(stat)).toBe(((250 + 50) * 1e9) / 100);
  });
});
