import { InvalidArgumentError } from 'commander';
import { findTransport } from '../transports/registry.js';
import type { TransportName } from '../transports/types.js';

/** Commander argument parsers. Each throws InvalidArgumentError with the allowed range. */

export function integerInRange(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || number < min || number > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return number;
  };
}

export function numberInRange(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    }
    return number;
  };
}

export function transportList(value: string): TransportName[] {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  if (names.length === 0) throw new InvalidArgumentError('expected a comma-separated list of transports');
  const transports: TransportName[] = [];
  for (const name of names) {
    try {
      const transport = findTransport(name).name;
      if (!transports.includes(transport)) transports.push(transport);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  }
  return transports;
}

export function oneOf(allowed: readonly string[]): (value: string) => string {
  return (value) => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return value;
  };
}
