/**
 * Number formatting for tables. The unit is in the row label, so cells
 * hold bare numbers with a precision that suits the unit.
 */

export type Formatter = (value: number | null | undefined) => string;

const NOT_MEASURED = 'n/a';

function fixed(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds: three significant digits for small values, whole numbers from 100 up. */
export const formatMs: Formatter = (value) => {
  if (value === null || value === undefined) return NOT_MEASURED;
  if (value >= 100) return fixed(value, 0);
  if (value >= 10) return fixed(value, 1);
  return fixed(value, 2);
};

export const formatSecondsFromMs: Formatter = (value) => (value === null || value === undefined ? NOT_MEASURED : fixed(value / 1000, 2));

export const formatKiB: Formatter = (value) => (value === null || value === undefined ? NOT_MEASURED : fixed(value / 1024, 1));

export const formatMiB: Formatter = (value) => (value === null || value === undefined ? NOT_MEASURED : fixed(value / (1024 * 1024), 1));

export const formatBytes: Formatter = (value) => (value === null || value === undefined ? NOT_MEASURED : fixed(value, 0));

export const formatCount: Formatter = (value) => (value === null || value === undefined ? NOT_MEASURED : fixed(Math.round(value), 0));

export const formatPercent: Formatter = (value) => (value === null || value === undefined ? NOT_MEASURED : fixed(value, 1));

export const formatRate: Formatter = (value) => {
  if (value === null || value === undefined) return NOT_MEASURED;
  if (value >= 100) return fixed(value, 0);
  if (value >= 10) return fixed(value, 1);
  return fixed(value, 2);
};

export const formatRatio: Formatter = (value) => (value === null || value === undefined ? NOT_MEASURED : fixed(value, 2));

/**
 * Values with their unit, for text where no row label carries it: compare
 * tables, HTML charts, threshold messages.
 */
export function describeMs(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_MEASURED : `${formatMs(value)} ms`;
}

/** Bytes scaled to B, KiB, MiB or GiB. */
export function describeBytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return NOT_MEASURED;
  const abs = Math.abs(value);
  if (abs >= 1024 ** 3) return `${fixed(value / 1024 ** 3, 2)} GiB`;
  if (abs >= 1024 ** 2) return `${fixed(value / 1024 ** 2, 1)} MiB`;
  if (abs >= 1024) return `${fixed(value / 1024, 1)} KiB`;
  return `${fixed(value, 0)} B`;
}

export function describeRate(value: number | null | undefined, unit: string): string {
  return value === null || value === undefined ? NOT_MEASURED : `${formatRate(value)} ${unit}`;
}

export function describePercent(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_MEASURED : `${formatPercent(value)}%`;
}
