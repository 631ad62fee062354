// Substitutes {{ name }} template variables in SQL as quoted literals, never as raw text.
import { sqlString } from '../engine/duckdb.js';
import { ConfigError } from '../errors.js';

/** A template value: a string, a number, or a list of strings. */
export type TemplateValue = string | number | readonly string[];
export type TemplateVars = Readonly<Record<string, TemplateValue>>;

/** Renders one value as a SQL literal: strings quoted, lists as `['a', 'b']`. */
export function literal(value: TemplateValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`template number ${value} is not finite`);
    return String(value);
  }
  if (typeof value === 'string') return sqlString(value);
  return `[${value.map(sqlString).join(', ')}]`;
}

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Replaces every `{{ name }}`; an unknown name fails with the file and line. Line numbers are preserved. */
export function renderTemplate(sql: string, vars: TemplateVars, file: string): string {
  return sql.replace(VARIABLE, (match, name: string, offset: number) => {
    const value = vars[name];
    if (value === undefined) {
      const line = sql.slice(0, offset).split('\n').length;
      throw new ConfigError(`${file}:${line}: unknown template variable ${match}`, {
        hint: `Known variables: ${Object.keys(vars).sort().join(', ')} (see sql/README.md).`,
      });
    }
    return literal(value);
  });
}
