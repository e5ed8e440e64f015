import { InvalidExpressionError } from '../errors.js';
import { findTransport } from '../transports/registry.js';
import type { TransportName } from '../transports/types.js';
import { FIGURES, findFigure, type Dimension, type Figure } from './figures.js';

/**
 * The pieces that --threshold and --max-regression share: a selector
 * (`[transport.]figure`) and a quantity (a number with an optional unit).
 * thresholds.ts documents the grammar.
 */

/** Every transport (`*`) or one of them. */
export type Target = TransportName | '*';

export interface Selector {
  target: Target;
  figure: Figure;
}

/** Multipliers from a unit to the base unit of its dimension; KB and MB are binary, as the tables' KiB and MiB. */
const UNITS: Record<string, { dimension: Dimension; factor: number }> = {
  ms: { dimension: 'time', factor: 1 },
  s: { dimension: 'time', factor: 1000 },
  B: { dimension: 'bytes', factor: 1 },
  KB: { dimension: 'bytes', factor: 1024 },
  KiB: { dimension: 'bytes', factor: 1024 },
  MB: { dimension: 'bytes', factor: 1024 ** 2 },
  MiB: { dimension: 'bytes', factor: 1024 ** 2 },
  GB: { dimension: 'bytes', factor: 1024 ** 3 },
  GiB: { dimension: 'bytes', factor: 1024 ** 3 },
  '/s': { dimension: 'rate', factor: 1 },
  'msg/s': { dimension: 'rate', factor: 1 },
  '%': { dimension: 'percent', factor: 1 },
};

const UNITS_BY_DIMENSION: Record<Dimension, string> = {
  time: 'ms or s',
  bytes: 'B, KB or MB',
  rate: '/s',
  count: 'no unit',
  percent: '% or no unit',
  ratio: 'no unit',
};

/** A cursor over one expression; every error it raises names the 1-based column. */
export class Scanner {
  position = 0;

  constructor(
    readonly text: string,
    /** Names the expression kind in errors, e.g. `threshold`. */
    readonly kind: string,
  ) {}

  skipSpaces(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) this.position++;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  /** Consumes `token` when the text continues with it. */
  accept(token: string): boolean {
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  /** Consumes the longest run of characters that match `pattern`, one character at a time. */
  take(pattern: RegExp): string {
    const start = this.position;
    while (this.position < this.text.length && pattern.test(this.text[this.position])) this.position++;
    return this.text.slice(start, this.position);
  }

  /** Builds the error for a problem at `offset` (0-based, default: the cursor); the message names the 1-based column. */
  fail(expected: string, offset = this.position): InvalidExpressionError {
    const found = offset >= this.text.length ? 'the end' : `"${this.text.slice(offset, offset + 12)}"`;
    return new InvalidExpressionError(this.kind, this.text, offset + 1, `${expected}, found ${found}`);
  }

  failAt(offset: number, message: string): InvalidExpressionError {
    return new InvalidExpressionError(this.kind, this.text, offset + 1, message);
  }

  expectEnd(): void {
    this.skipSpaces();
    if (!this.atEnd()) throw this.fail('expected the end of the expression');
  }
}

const NAME_CHARACTER = /[A-Za-z0-9_*-]/;

/**
 * Parses `[transport.]figure`. The first segment is a transport when it
 * names one (or is `*`); without it the selector means every transport.
 */
export function parseSelector(scanner: Scanner): Selector {
  scanner.skipSpaces();
  const start = scanner.position;
  const segments: string[] = [];
  do {
    const segment = scanner.take(NAME_CHARACTER);
    if (segment.length === 0) throw scanner.fail(segments.length === 0 ? 'expected a transport or figure name such as websocket.latency.p99' : 'expected a name after "."');
    segments.push(segment);
  } while (scanner.accept('.'));

  const target = readTarget(segments[0]);
  const figureSegments = target === undefined ? segments : segments.slice(1);
  const figureStart = target === undefined ? start : start + segments[0].length + 1;
  if (figureSegments.length === 0) throw scanner.fail(`expected "." and a figure after "${segments[0]}"`);

  const figureName = figureSegments.join('.');
  const figure = findFigure(figureName);
  if (!figure) {
    const problem = target === undefined && segments.length > 1 ? `unknown transport or figure "${figureName}"` : `unknown figure "${figureName}"`;
    throw scanner.failAt(figureStart, `${problem}: use a transport (or *) followed by one of ${describeFigureNames()}`);
  }
  return { target: target ?? '*', figure };
}

function readTarget(segment: string): Target | undefined {
  if (segment === '*') return '*';
  try {
    return findTransport(segment).name;
  } catch {
    return undefined;
  }
}

function describeFigureNames(): string {
  return FIGURES.map((figure) => figure.name).join(', ');
}

export interface Quantity {
  /** In the base unit of the dimension (ms, bytes, per second), or a fraction for relative quantities. */
  value: number;
  /** The unit as written, or '' for a bare number. */
  unit: string;
  /** Number and unit as written, without the space between them, e.g. `200ms`. */
  text: string;
}

/**
 * Parses a non-negative number with an optional unit that must fit the
 * figure's dimension. A bare number is in the figure's base unit. With
 * `allowPercentOfBaseline`, `%` is accepted for any figure and the caller
 * gives it its meaning.
 */
export function parseQuantity(scanner: Scanner, figure: Figure, allowPercentOfBaseline = false): Quantity {
  scanner.skipSpaces();
  const numberStart = scanner.position;
  const digits = scanner.take(/[0-9.]/);
  if (!/^(\d+(\.\d+)?|\.\d+)$/.test(digits)) throw scanner.fail('expected a number', numberStart);
  const number = Number(digits);

  scanner.skipSpaces();
  const unitStart = scanner.position;
  const unit = scanner.take(/[A-Za-z/%]/);
  const text = `${digits}${unit}`;
  if (unit === '') return { value: number, unit, text };
  if (unit === '%' && allowPercentOfBaseline) return { value: number, unit, text };

  const known = UNITS[unit];
  if (!known) throw scanner.failAt(unitStart, `unknown unit "${unit}": use ms, s, B, KB, MB, /s or %`);
  if (known.dimension !== figure.dimension) {
    throw scanner.failAt(unitStart, `unit "${unit}" does not fit ${figure.name}, which is a ${figure.dimension}: use ${UNITS_BY_DIMENSION[figure.dimension]}`);
  }
  return { value: number * known.factor, unit, text };
}
