import { Command } from 'commander';
import { ScenarioError } from '../../errors.js';
import { bundledScenarioFiles, loadScenario, SCHEMA_PATH, type Scenario } from '../../scenarios/load.js';
import { ExitCode, EXIT_CODE_HELP, type ExitCodeValue } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** `rtbench scenarios`: the bundled scenario files, one line each. */
export function scenariosCommand(io: CliIo, setExitCode: (code: ExitCodeValue) => void): Command {
  return new Command('scenarios')
    .description('list the bundled scenarios, each with what it models; run one with rtbench run <name> or copy its file and edit it')
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    .action(() => {
      setExitCode(listScenarios(io));
    });
}

function listScenarios(io: CliIo): ExitCodeValue {
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const path of bundledScenarioFiles()) {
    try {
      scenarios.push(loadScenario(path, io.cwd));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(...error.problems);
    }
  }

  const width = Math.max(...scenarios.map((scenario) => scenario.name.length), 4);
  for (const scenario of scenarios) {
    io.stdout(`${scenario.name.padEnd(width)}  ${scenario.description}\n`);
  }
  io.stdout(`\nfiles: ${SCHEMA_PATH.replace(/scenario\.schema\.json$/, '')} (schema: scenario.schema.json)\n`);
  for (const problem of problems) io.stderr(`rtbench: ${problem}\n`);
  return problems.length > 0 ? ExitCode.USAGE : ExitCode.OK;
}
