// The report as JSON for scripts and dashboards: one object per KPI, numbers as numbers, a documented, stable shape.
import { dateText } from './format.js';
import type { KpiTable } from './kpis.js';

/** Bumped only when a field is removed or changes meaning; new fields may appear without a bump. */
export const JSON_FORMAT_VERSION = 1;

type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

/** One cell as JSON: NULL and non-finite numbers -> null, dates -> `YYYY-MM-DD`, big integers stay exact. */
export function jsonValue(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) return dateText(value);
  return String(value);
}

/** Like JSON.stringify(value, null, 2), but writes a bigint as its exact digits instead of throwing. */
export function stringify(value: Json, indent = ''): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + stringify(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringify(v, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * The whole report:
 * `{ format_version, generated_at, kpis: [{ name, title, source, columns: [{ name, type, format }], rows: [{ column: value }] }] }`.
 */
export function toJson(kpis: readonly KpiTable[], generatedAt: Date): string {
  const doc: Json = {
    format_version: JSON_FORMAT_VERSION,
    generated_at: generatedAt.toISOString(),
    kpis: kpis.map((k) => ({
      name: k.name,
      title: k.title,
      source: k.file,
      columns: k.columns.map((c, i) => ({ name: c, type: k.types[i] ?? null, format: k.kinds[i] ?? 'text' })),
      rows: k.rows.map((r) => Object.fromEntries(k.columns.map((c) => [c, jsonValue(r[c])]))),
    })),
  };
  return `${stringify(doc)}\n`;
}
