import type { Threshold } from '../report/thresholds.js';
import type { Command } from 'commander';
import { COMMAND_LINE_SCENARIO, type ScenarioSource } from './identity.js';
import { loadScenario } from './load.js';
import { layerSettings } from './overrides.js';
import type { RunSettings } from './settings.js';

/**
 * Loads and validates the scenario file, when one is given, and layers the
 * command-line options over it. Returns the settings and the scenario
 * source the report records. Without a file the settings are rtbench's
 * defaults and the options, which equal the bundled `dashboard` scenario.
 * Throws before anything starts.
 */
export function resolveScenarioSettings(
  scenarioArgument: string | undefined,
  cwd: string,
  fromOptions: RunSettings,
  command: Command,
): { settings: RunSettings; scenario: ScenarioSource; thresholds: Threshold[] } {
  if (scenarioArgument === undefined) {
    return { settings: layerSettings(fromOptions, command, undefined), scenario: COMMAND_LINE_SCENARIO, thresholds: [] };
  }
  const scenario = loadScenario(scenarioArgument, cwd);
  const settings = layerSettings(fromOptions, command, scenario);
  return { settings, scenario: { name: scenario.name, content: scenario.content }, thresholds: scenario.thresholds };
}
