import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderHtmlReport } from '../report/html/page.js';
import { renderJUnit, type GateResults } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { writeFileAtomic } from '../report/write.js';
import type { CliIo } from './io.js';

export interface CiFileFlags {
  junit?: string;
  markdown?: string;
  html?: string;
}

/**
 * Writes the files the flags ask for, each atomically, and appends the
 * Markdown summary to the file named by GITHUB_STEP_SUMMARY, which GitHub
 * Actions shows on the job's summary page. The HTML report needs a report;
 * `compare` has two and draws none.
 */
export async function writeCiFiles(io: CliIo, results: GateResults, flags: CiFileFlags, quiet: boolean): Promise<void> {
  const written: string[] = [];
  if (flags.junit) {
    await writeFileAtomic(resolve(io.cwd, flags.junit), renderJUnit(results));
    written.push(`JUnit XML written to ${flags.junit}`);
  }

  const stepSummary = io.env.GITHUB_STEP_SUMMARY;
  if (flags.markdown || stepSummary) {
    const markdown = renderMarkdown(results);
    if (flags.markdown) {
      await writeFileAtomic(resolve(io.cwd, flags.markdown), markdown);
      written.push(`Markdown summary written to ${flags.markdown}`);
    }
    if (stepSummary) {
      await appendFile(resolve(io.cwd, stepSummary), `${markdown}\n`);
      written.push(`Markdown summary appended to $GITHUB_STEP_SUMMARY (${stepSummary})`);
    }
  }

  if (flags.html && results.report) {
    await writeFileAtomic(resolve(io.cwd, flags.html), renderHtmlReport(results.report, { comparison: results.comparison }));
    written.push(`HTML report written to ${flags.html}`);
  }
  if (!quiet) for (const line of written) io.stderr(`${line}\n`);
}
