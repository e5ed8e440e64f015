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
