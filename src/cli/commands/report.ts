import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { readReportFile } from '../../report/read.js';
import { renderComparisonTable, renderWarnings } from '../../report/table.js';
import { EXIT_CODE_HELP, type ExitCodeValue } from '../exit-codes.js';
import { evaluateGates, gateExitCode, gateOptions, prepareGates, publishGates, type GateFlags } from '../gates.js';
import { colorEnabled, type CliIo } from '../io.js';

interface ReportFlags extends GateFlags {
  quiet: boolean;
}

export function reportCommand(io: CliIo, setExitCode: (code: ExitCodeValue) => void): Command {
  const command = new Command('report')
    .description('print a saved report, write it as HTML, Markdown or JUnit, and check thresholds or a baseline against it')
    .argument('<report>', 'a report (JSON written by rtbench run)')
    .addOption(new Option('-q, --quiet', 'print no table, only failures').default(false))
    .addHelpText('after', `\nWithout --threshold, the thresholds stored in the report are shown and set the exit code; --threshold replaces them for this output, and the file is not changed.\n\n${EXIT_CODE_HELP}`)
    .action(async (path: string, flags: ReportFlags) => {
      setExitCode(await executeReport(io, path, flags));
    });
  for (const option of gateOptions()) command.addOption(option);
  return command;
}

async function executeReport(io: CliIo, path: string, flags: ReportFlags): Promise<ExitCodeValue> {
  const report = await readReportFile(resolve(io.cwd, path));
  const gates = await prepareGates(io, flags, report.settings);
  const verdict = evaluateGates(report, gates);
  if (verdict.thresholds === undefined && report.thresholds) verdict.thresholds = report.thresholds;

  const color = colorEnabled(io);
  if (!flags.quiet) io.stdout(`${renderComparisonTable(report, { color })}\n`);
  for (const line of renderWarnings(report, { color })) io.stderr(`${line}\n`);
  await publishGates(io, report, verdict, flags, { quiet: flags.quiet, json: false });
  return gateExitCode(verdict);
}
