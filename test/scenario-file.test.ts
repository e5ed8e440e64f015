import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand, toSettings, type RunFlags } from '../src/cli/commands/run.js';
import { main } from '../src/cli/main.js';
import { scenarioHash } from '../src/scenarios/identity.js';
import { loadScenario, SCENARIOS_DIR } from '../src/scenarios/load.js';
import { resolveScenarioSettings } from '../src/scenarios/resolve.js';
import { DEFAULT_SETTINGS, type RunSettings } from '../src/scenarios/settings.js';
import { fakeIo } from './helpers/fake-io.js';

const workDir = mkdtempSync(join(tmpdir(), 'rtbench-scenario-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const VALID_CHAT = `name: my-chat
description: a test chat
workload:
  kind: chat
  roomSize: 10
  senderFraction: 0.5
clients: 40
rate: 3
`;

function writeScenario(name: string, text: string): string {
  const path = join(workDir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `rtbench run FILE` in-process and returns the exit code and stderr. */
async function runFile(name: string, text: string): Promise<{ code: number; err: string }> {
  const io = fakeIo(workDir);
  writeScenario(name, text);
  const code = await main(['run', name, '--out', join(workDir, 'never.json')], io);
  return { code, err: io.err };
}

/** Parses a run command line with the real run command, without running it, and layers the scenario in. */
async function settingsFor(args: string[]): Promise<RunSettings> {
  const io = fakeIo(workDir);
  const command = runCommand(io, args, () => undefined).exitOverride();
  let parsed: { scenario: string | undefined; flags: RunFlags; command: Command } | undefined;
  command.action((scenario: string | undefined, flags: RunFlags, self: Command) => {
    parsed = { scenario, flags, command: self };
  });
  await command.parseAsync(args, { from: 'user' });
  return resolveScenarioSettings(parsed!.scenario, workDir, toSettings(parsed!.flags), parsed!.command).settings;
}

describe('scenario schema errors', () => {
  it('names a missing field', async () => {
    const { code, err } = await runFile('missing.yaml', VALID_CHAT.replace('  roomSize: 10\n', ''));

    expect(code).toBe(2);
    expect(err).toBe('rtbench: missing.yaml:4: workload.roomSize is missing: expected an integer from 2 to 100000\n');
  });

  it('names a value of the wrong type', async () => {
    const { code, err } = await runFile('type.yaml', VALID_CHAT.replace('clients: 40', 'clients: forty'));

    expect(code).toBe(2);
    expect(err).toBe('rtbench: type.yaml:7: clients is "forty": expected an integer from 1 to 1000000\n');
  });

  it('names an out-of-range value', async () => {
    const { code, err } = await runFile('range.yaml', VALID_CHAT.replace('senderFraction: 0.5', 'senderFraction: 1.5'));

    expect(code).toBe(2);
    expect(err).toBe('rtbench: range.yaml:6: workload.senderFraction is 1.5: expected a number above 0 and at most 1\n');
  });

  it('lists every invalid field', async () => {
    const text = VALID_CHAT.replace('clients: 40', 'clients: 0').replace('rate: 3', 'rate: 3\ntransports: [sse, pigeon]\nduraton: 5');

    const { code, err } = await runFile('several.yaml', text);

    expect(code).toBe(2);
    expect(err.trim().split('\n')).toEqual([
      'rtbench: several.yaml:7: clients is 0: expected an integer from 1 to 1000000',
      'rtbench: several.yaml:9: transports[1] is "pigeon": expected one of long-polling, sse, websocket',
      expect.stringMatching(/^rtbench: several\.yaml:10: duraton is not a known field: expected one of name, description, thresholds, workload, .*durationSec/),
    ]);
  });

  it('rejects an unknown workload kind', async () => {
    const { code, err } = await runFile('kind.yaml', VALID_CHAT.replace('kind: chat', 'kind: chatroom'));

    expect(code).toBe(2);
    expect(err).toBe('rtbench: kind.yaml:4: workload.kind is "chatroom": expected one of dashboard, notifications, chat, collaboration, burst\n');
  });

  it('rejects rooms whose maximum is below the minimum', async () => {
    const text = 'name: c\ndescription: d\nworkload:\n  kind: collaboration\n  minRoomSize: 10\n  maxRoomSize: 5\n';

    const { code, err } = await runFile('rooms.yaml', text);

    expect(code).toBe(2);
    expect(err).toBe('rtbench: rooms.yaml:6: workload.maxRoomSize is 5: expected an integer from workload.minRoomSize (10) to 1000\n');
  });

  it('reports invalid YAML with its line', async () => {
    const { code, err } = await runFile('syntax.yaml', 'name: x\ndescription: [unclosed\n');

    expect(code).toBe(2);
    expect(err).toMatch(/^rtbench: syntax\.yaml:\d+: invalid YAML: /);
  });

  it('reports a scenario that does not exist', async () => {
    const io = fakeIo(workDir);

    const code = await main(['run', 'no-such-scenario'], io);

    expect(code).toBe(2);
    expect(io.err).toBe('rtbench: scenario "no-such-scenario" not found: give a path to a YAML file or a bundled scenario (burst, chat, collaboration, dashboard, notifications)\n');
  });
});

describe('scenario settings', () => {
  it('keeps the defaults for the dashboard', async () => {
    expect(await settingsFor([])).toEqual(DEFAULT_SETTINGS);
    expect(await settingsFor(['dashboard'])).toEqual(DEFAULT_SETTINGS);
  });

  it('layers file over defaults, options over file', async () => {
    const path = writeScenario('layers.yaml', VALID_CHAT);

    const settings = await settingsFor([path, '--rate', '7', '--warmup', '1']);

    expect(settings.workload).toEqual({ kind: 'chat', roomSize: 10, senderFraction: 0.5 });
    expect(settings.clients).toBe(40);
    expect(settings.rate).toBe(7);
    expect(settings.warmupSec).toBe(1);
    expect(settings.durationSec).toBe(DEFAULT_SETTINGS.durationSec);
  });

  it('lets an option equal to its default override the file', async () => {
    const path = writeScenario('default-value.yaml', VALID_CHAT);

    const settings = await settingsFor([path, '--rate', String(DEFAULT_SETTINGS.rate)]);

    expect(settings.rate).toBe(DEFAULT_SETTINGS.rate);
  });

  it('rejects a chat left without senders', async () => {
    const path = writeScenario('lonely.yaml', VALID_CHAT);

    await expect(settingsFor([path, '--clients', '1'])).rejects.toThrow('chat with 1 clients and senderFraction 0.5 has no sending client');
  });

  it('fills the collaboration seed', () => {
    const scenario = loadScenario('collaboration', workDir);

    expect(scenario.settings.workload).toEqual({ kind: 'collaboration', minRoomSize: 5, maxRoomSize: 20, seed: 1 });
  });

  it('hashes the workload kind and parameters', async () => {
    const base = scenarioHash(DEFAULT_SETTINGS);
    const chat = (await settingsFor([writeScenario('hash.yaml', VALID_CHAT)])).workload;

    expect(scenarioHash({ ...DEFAULT_SETTINGS, workload: { kind: 'notifications' } })).not.toBe(base);
    expect(scenarioHash({ ...DEFAULT_SETTINGS, workload: chat })).not.toBe(scenarioHash({ ...DEFAULT_SETTINGS, workload: { ...chat, roomSize: 11 } as typeof chat }));
    expect(scenarioHash({ ...DEFAULT_SETTINGS, injectCostUs: 5 })).not.toBe(base);
  });
});

describe('rtbench scenarios', () => {
  it('lists the five bundled workloads', async () => {
    const io = fakeIo(workDir);

    const code = await main(['scenarios'], io);

    expect(code).toBe(0);
    const names = io.out.split('\n').filter((line) => /^[a-z-]+ {2,}\S/.test(line)).map((line) => line.split(/\s+/)[0]);
    expect(names).toEqual(['burst', 'chat', 'collaboration', 'dashboard', 'notifications']);
    expect(io.err).toBe('');
  });

  it('ships a schema that every bundled file names', () => {
    for (const name of ['burst', 'chat', 'collaboration', 'dashboard', 'notifications']) {
      const text = readFileSync(join(SCENARIOS_DIR, `${name}.yaml`), 'utf8');
      expect(text.startsWith('# yaml-language-server: $schema=./scenario.schema.json\n')).toBe(true);
    }
  });
});

describe('scenario thresholds', () => {
  it('rejects an invalid expression with its line and position', async () => {
    const text = `${VALID_CHAT}thresholds:\n  - '*.messages.lost == 0'\n  - 'websocket.latency.p99 <> 200ms'\n`;

    const { code, err } = await runFile('bad-threshold.yaml', text);

    expect(code).toBe(2);
    expect(err).toMatch(/^rtbench: bad-threshold\.yaml:11: thresholds\[1\] is invalid: .*column 24/);
  });

  it('fails the run on a threshold from the file', async () => {
    const text = `name: gate
description: a tiny gated run
workload:
  kind: dashboard
thresholds:
  - 'websocket.latency.p99 < 0.001ms'
`;
    writeScenario('gate.yaml', text);
    const io = fakeIo(workDir);

    const code = await main(['run', 'gate.yaml', '-t', 'ws', '--clients', '10', '--rate', '5', '--warmup', '0.5', '--duration', '1', '--drain', '0.5', '--no-floor', '--out', join(workDir, 'gate.json')], io);

    expect(code).toBe(4);
    expect(io.err).toContain('threshold failed: websocket.latency.p99 < 0.001ms');
  });
});
