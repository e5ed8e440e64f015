import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { compareReports } from '../../report/compare.js';
import { describeFailedChecks, renderDeltaTable } from '../../report/compare-table.js';
import { readReportFile } from '../../report/read.js';
import { DEFAULT_MAX_REGRESSION, parseTolerances, type Tolerance } from '../../report/tolerances.js';
import { writeCiFiles } from '../ci-files.js';
import { ExitCode, EXIT_CODE_HELP, type ExitCodeValue } from '../exit-codes.js';
import { colorEnabled, type CliIo } from '../io.js';

interface CompareFlags {
  maxRegression?: Tolerance[];
  allowScenarioChange: boolean;
  junit?: string;
  markdown?: string;
  quiet: boolean;
}

export function compareCommand(io: CliIo, setExitCode: (code: ExitCodeValue) => void): Command {
  return new Command('compare')
    .description('compare two reports figure by figure and fail when the current one regressed beyond the tolerances')
    .argument('<baseline>', 'the baseline report (JSON written by rtbench run)')
    .argument('<current>', 'the report to check against it')
    .addOption(
      new Option('--max-regression <tolerances>', `how much worse each figure may get: N% of the baseline, or an amount with its unit, e.g. 'latency.p99=20%,server.memoryPerConnection=10%'`)
        .argParser(parseTolerances)
        .default(undefined, DEFAULT_MAX_REGRESSION),
    )
    .addOption(new Option('--allow-scenario-change', 'compare even when the reports measured other workload settings').default(false))
    .addOption(new Option('--junit <path>', 'write a JUnit XML file: one test case per regression check'))
    .addOption(new Option('--markdown <path>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when that is set)'))
    .addOption(new Option('-q, --quiet', 'print only failures').default(false))
    .addHelpText('after', `\nWith repeated runs (--repeat) in both reports, medians are compared, and a median inside the other report's min-max range of runs counts as noise, not a regression.\n\n${EXIT_CODE_HELP}`)
    .action(async (baselinePath: string, currentPath: string, flags: CompareFlags) => {
      setExitCode(await executeCompare(io, baselinePath, currentPath, flags));
    });
}

async function executeCompare(io: CliIo, baselinePath: string, currentPath: string, flags: CompareFlags): Promise<ExitCodeValue> {
  const baseline = await readReportFile(resolve(io.cwd, baselinePath));
  const current = await readReportFile(resolve(io.cwd, currentPath));
  const comparison = compareReports(baseline, current, {
    tolerances: flags.maxRegression ?? parseTolerances(DEFAULT_MAX_REGRESSION),
    allowScenarioChange: flags.allowScenarioChange,
    baselineName: baselinePath,
  });

  if (!flags.quiet) io.stdout(`${renderDeltaTable(comparison, { color: colorEnabled(io) })}\n`);
  for (const line of describeFailedChecks(comparison)) io.stderr(`${line}\n`);
  await writeCiFiles(io, { comparison }, flags, flags.quiet);
  return comparison.passed ? ExitCode.OK : ExitCode.REGRESSION;
}
