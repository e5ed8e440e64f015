import type { Command } from 'commander';
import { scenarioIdentity, type ScenarioIdentity } from './identity.js';
import { loadScenario } from './load.js';
import { layerSettings } from './overrides.js';
import type { RunSettings } from './settings.js';

/** The bundled scenario a command runs when none is given: rtbench's defaults. */
export const DEFAULT_SCENARIO = 'dashboard';

/**
 * Loads and validates the scenario (the bundled dashboard when none is
 * given), layers the command-line options over it and returns the settings
 * with the identity the report records. Throws before anything starts.
 */
export function resolveScenarioSettings(
  scenarioArgument: string | undefined,
  cwd: string,
  fromOptions: RunSettings,
  command: Command,
): { settings: RunSettings; scenario: ScenarioIdentity } {
  const scenario = loadScenario(scenarioArgument ?? DEFAULT_SCENARIO, cwd);
  const settings = layerSettings(fromOptions, command, scenario);
  return { settings, scenario: scenarioIdentity(scenario.name, scenario.content, settings) };
}
