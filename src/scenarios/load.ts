import { parseThreshold, type Threshold } from '../report/thresholds.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import AjvModule, { type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ScenarioError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { WorkloadSettings } from '../workloads/types.js';
import { describeSchemaErrors, fieldPath, type FieldProblem, type SchemaNode } from './schema-errors.js';
import type { RunSettings } from './settings.js';

/** The bundled scenario files and their schema. */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');
export const SCHEMA_PATH = join(SCENARIOS_DIR, 'scenario.schema.json');

/** Seed of the collaboration room sizes when the file gives none. */
const DEFAULT_SEED = 1;

/** A validated scenario file. */
export interface Scenario {
  name: string;
  description: string;
  /** The file as the user named it, for messages. */
  displayPath: string;
  /** The file's text, recorded in the report. */
  content: string;
  /** The run settings the file sets; the rest keep rtbench's defaults. */
  settings: Partial<RunSettings>;
  /** Threshold expressions from the file's `thresholds:` list, already parsed. */
  thresholds: Threshold[];
}

/** The scenario file's fields as the schema allows them. */
interface ScenarioDocument extends Partial<Omit<RunSettings, 'workload'>> {
  name: string;
  description: string;
  workload: WorkloadSettings;
  thresholds?: string[];
}

// ajv is published as CommonJS; under NodeNext its default export is the module object.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
let compiled: { validate: ValidateFunction; schema: SchemaNode } | undefined;

function schemaValidator(): { validate: ValidateFunction; schema: SchemaNode } {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaNode;
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true });
    compiled = { validate: ajv.compile(schema), schema };
  }
  return compiled;
}

/**
 * Reads and validates a scenario file before anything starts. `file` is a
 * path, or the name of a bundled scenario (`chat` for scenarios/chat.yaml).
 * Throws a ScenarioError listing every invalid field.
 */
export function loadScenario(file: string, cwd: string): Scenario {
  const path = resolveScenarioPath(file, cwd);
  const displayPath = displayPathOf(path, cwd);
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError([`${displayPath}: cannot read the scenario file: ${(error as Error).message}`]);
  }
  return parseScenario(content, displayPath);
}

/** Validates scenario text; `displayPath` names the file in messages. */
export function parseScenario(content: string, displayPath: string): Scenario {
  const lines = new LineCounter();
  const document = parseDocument(content, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ScenarioError(document.errors.map((error) => `${displayPath}:${lineOf(lines, error.pos[0])}: invalid YAML: ${firstLine(error.message)}`));
  }

  const data: unknown = document.toJS();
  const { validate, schema } = schemaValidator();
  const problems: FieldProblem[] = validate(data) ? checkCrossFields(data as ScenarioDocument) : describeSchemaErrors(validate.errors ?? [], schema, data);
  if (problems.length > 0) {
    const located = problems.map((problem) => ({ line: lineOfField(document, lines, problem.location), message: problem.message }));
    located.sort((a, b) => a.line - b.line);
    throw new ScenarioError(located.map(({ line, message }) => `${displayPath}:${line}: ${message}`));
  }

  const { name, description, workload, thresholds = [], ...settings } = data as ScenarioDocument;
  const fullWorkload: WorkloadSettings = workload.kind === 'collaboration' ? { ...workload, seed: workload.seed ?? DEFAULT_SEED } : workload;
  const parsedThresholds = parseFileThresholds(thresholds, displayPath, (index) => lineOfField(document, lines, ['thresholds', index]));
  return { name, description, displayPath, content, settings: { ...settings, workload: fullWorkload }, thresholds: parsedThresholds };
}

/** Parses the file's threshold expressions; a bad one is reported with the file, its line and the position in the expression. */
function parseFileThresholds(expressions: string[], displayPath: string, lineOf: (index: number) => number): Threshold[] {
  const problems: string[] = [];
  const parsed: Threshold[] = [];
  expressions.forEach((expression, index) => {
    try {
      parsed.push(parseThreshold(expression));
    } catch (error) {
      problems.push(`${displayPath}:${lineOf(index)}: thresholds[${index}] is invalid: ${(error as Error).message}`);
    }
  });
  if (problems.length > 0) throw new ScenarioError(problems);
  return parsed;
}

/** Rules the schema cannot state: one field bounded by another. */
function checkCrossFields(document: ScenarioDocument): FieldProblem[] {
  const workload = document.workload;
  if (workload.kind === 'collaboration' && workload.maxRoomSize < workload.minRoomSize) {
    const location = ['workload', 'maxRoomSize'];
    return [{ location, message: `${fieldPath(location)} is ${workload.maxRoomSize}: expected an integer from workload.minRoomSize (${workload.minRoomSize}) to 1000` }];
  }
  if (workload.kind === 'burst' && workload.burstDurationMs > workload.burstEverySec * 1000) {
    const location = ['workload', 'burstDurationMs'];
    return [{ location, message: `${fieldPath(location)} is ${workload.burstDurationMs}: expected a number from 0 to workload.burstEverySec × 1000 (${workload.burstEverySec * 1000})` }];
  }
  return [];
}

/** Resolves `file` to an existing path relative to `cwd`, else to the bundled scenario of that name. */
export function resolveScenarioPath(file: string, cwd: string): string {
  const direct = isAbsolute(file) ? file : resolve(cwd, file);
  if (existsFile(direct)) return direct;
  if (/^[a-z0-9][a-z0-9-]*$/.test(file)) {
    const bundled = join(SCENARIOS_DIR, `${file}.yaml`);
    if (existsFile(bundled)) return bundled;
  }
  const names = bundledScenarioFiles().map((path) => path.replace(/^.*\/|\.yaml$/g, ''));
  throw new ScenarioError([`scenario "${file}" not found: give a path to a YAML file or a bundled scenario (${names.join(', ')})`]);
}

/** Paths of the bundled scenario files, sorted by name. */
export function bundledScenarioFiles(): string[] {
  let entries: string[];
  try {
    entries = readdirSync(SCENARIOS_DIR);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith('.yaml'))
    .sort()
    .map((entry) => join(SCENARIOS_DIR, entry));
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Returns the path relative to `cwd` when it lies below it, else the absolute path. */
function displayPathOf(path: string, cwd: string): string {
  const relativePath = relative(cwd, path);
  return relativePath.startsWith('..') || isAbsolute(relativePath) ? path : relativePath;
}

function lineOf(lines: LineCounter, offset: number): number {
  return lines.linePos(offset).line;
}

/** Finds the line of the field, or of its closest parent in the file when the field is missing. */
function lineOfField(document: Document, lines: LineCounter, location: readonly (string | number)[]): number {
  for (let depth = location.length; depth > 0; depth--) {
    const node = document.getIn(location.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lineOf(lines, node.range[0]);
  }
  const root = document.contents as { range?: [number, number, number] } | null;
  return root?.range ? lineOf(lines, root.range[0]) : 1;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
