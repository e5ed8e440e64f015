/** Number formatting for tables: every figure printed with its unit. */

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1024 * 1024 * 1024) return `${(value / 1024 ** 3).toFixed(2)} GiB`;
  if (abs >= 1024 * 1024) return `${(value / 1024 ** 2).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${Math.round(value)} B`;
}

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  return Math.round(value).toLocaleString('en-US');
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  return `${value.toFixed(1)}%`;
}

export function formatRate(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return 'n/a';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`;
}

export function formatRatio(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return 'n/a';
  return value.toFixed(digits);
}
