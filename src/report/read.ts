import { readFile } from 'node:fs/promises';
import { ReportFileError } from '../errors.js';
import { scenarioIdentity } from '../scenarios/identity.js';
import { REPORT_SCHEMA_VERSION, type Report } from './types.js';

/**
 * Reads a report written by `rtbench run`. A report from before scenario
 * identities were recorded gets one computed from its settings, which gives
 * the same hash as a new run of those settings.
 */
export async function readReportFile(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportFileError(path, code === 'ENOENT' ? 'file not found' : `read failed (${code ?? (error as Error).message})`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ReportFileError(path, `invalid JSON (${(error as Error).message}); write reports with rtbench run --out`);
  }
  return validateReport(path, parsed);
}

function validateReport(path: string, parsed: unknown): Report {
  const report = parsed as Partial<Report> | null;
  if (typeof report !== 'object' || report === null || report.tool?.name !== 'rtbench') {
    throw new ReportFileError(path, 'not an rtbench report (tool.name is not "rtbench")');
  }
  if (report.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new ReportFileError(path, `schema version ${String(report.schemaVersion)} is not ${REPORT_SCHEMA_VERSION}; rerun it with this rtbench version`);
  }
  if (!Array.isArray(report.results) || typeof report.settings !== 'object' || report.settings === null) {
    throw new ReportFileError(path, 'the results or settings field is missing');
  }
  if (!report.scenario) report.scenario = scenarioIdentity(report.settings);
  return report as Report;
}
