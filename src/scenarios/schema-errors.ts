import type { ErrorObject } from 'ajv';

/** A JSON Schema node, as far as the error messages read it. */
export interface SchemaNode {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  uniqueItems?: boolean;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
}

/** One invalid field: where it is in the file and the message for it. */
export interface FieldProblem {
  /** Keys and indexes from the document root to the field, or to its parent when the field is missing. */
  location: (string | number)[];
  message: string;
}

/**
 * Turns ajv's errors into one message per invalid field that names the
 * field path, the value and what the schema allows. Errors of the
 * `discriminator` keyword are dropped because the `kind` enum or required
 * error on the same object already reports what is wrong.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], schema: SchemaNode, document: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'discriminator') continue;
    const problem = describeError(error, schema, document);
    const key = problem.message;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describeError(error: ErrorObject, schema: SchemaNode, document: unknown): FieldProblem {
  const keys = pointerKeys(error.instancePath);
  const node = nodeAt(schema, error.schemaPath) ?? {};

  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    const field = node.properties?.[missing] ?? {};
    return { location: keys, message: `${fieldPath([...keys, missing])} is missing: expected ${describeAllowed(field)}` };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = String(error.params.additionalProperty);
    const known = Object.keys(node.properties ?? {}).join(', ');
    return { location: [...keys, extra], message: `${fieldPath([...keys, extra])} is not a known field: expected one of ${known}` };
  }
  const value = valueAt(document, keys);
  if (keys.length === 0 && value === null) return { location: keys, message: `the document is empty: expected ${describeAllowed(node)}` };
  return { location: keys, message: `${fieldPath(keys)} is ${formatValue(value)}: expected ${describeAllowed(node)}` };
}

/** Describes what a schema node allows, in words: "an integer from 2 to 100000", "one of a, b". */
export function describeAllowed(node: SchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return `one of ${node.enum.map(String).join(', ')}`;
  switch (node.type) {
    case 'integer':
      return `an integer${describeRange(node)}`;
    case 'number':
      return `a number${describeRange(node)}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return describeString(node);
    case 'array':
      return describeList(node);
    case 'object':
      return node.properties ? `a mapping with the fields ${Object.keys(node.properties).join(', ')}` : 'a mapping';
    default:
      return 'a value';
  }
}

function describeRange(node: SchemaNode): string {
  const max = node.maximum;
  if (node.exclusiveMinimum !== undefined) {
    const above = ` above ${node.exclusiveMinimum}`;
    return max === undefined ? above : `${above} and at most ${max}`;
  }
  if (node.minimum !== undefined) {
    return max === undefined ? ` of at least ${node.minimum}` : ` from ${node.minimum} to ${max}`;
  }
  return max === undefined ? '' : ` of at most ${max}`;
}

function describeString(node: SchemaNode): string {
  if (node.pattern) return `a string matching ${node.pattern}`;
  if (node.minLength !== undefined && node.maxLength !== undefined) return `a string of ${node.minLength} to ${node.maxLength} characters`;
  return 'a string';
}

function describeList(node: SchemaNode): string {
  const items = node.items ? describeAllowed(node.items) : 'values';
  const count = node.minItems ? `at least ${node.minItems} of ` : '';
  const unique = node.uniqueItems ? ', each at most once' : '';
  return `a list of ${count}${items}${unique}`;
}

/** "workload.roomSize", "transports[1]"; "the document" for the root. */
export function fieldPath(keys: readonly (string | number)[]): string {
  if (keys.length === 0) return 'the document';
  let path = '';
  for (const key of keys) {
    if (typeof key === 'number') path += `[${key}]`;
    else path += path === '' ? key : `.${key}`;
  }
  return path;
}

/** Formats a value as it would be written in the file, cut to 60 characters. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** JSON Pointer ("/workload/0") to keys, with array indexes as numbers. */
function pointerKeys(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((token) => (/^\d+$/.test(token) ? Number(token) : token));
}

function valueAt(document: unknown, keys: readonly (string | number)[]): unknown {
  let value = document;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** Finds the schema node whose keyword failed: the error's schemaPath without its last segment. */
function nodeAt(schema: SchemaNode, schemaPath: string): SchemaNode | undefined {
  const segments = schemaPath.replace(/^#\/?/, '').split('/').filter((segment) => segment !== '');
  segments.pop();
  let node: unknown = schema;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node as SchemaNode | undefined;
}
