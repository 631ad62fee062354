// Splits a SQL file into statements with their starting line, respecting strings, identifiers and comments.

export interface Statement {
  readonly text: string;
  /** 1-based line of the file where the statement's first non-blank character stands. */
  readonly line: number;
}

/** Splits on top-level semicolons. Empty statements and comment-only pieces are dropped. */
export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const piece = sql.slice(start, end);
    if (stripComments(piece).trim() !== '') {
      const lead = piece.length - piece.trimStart().length;
      const line = countLines(sql, start + lead);
      out.push({ text: piece.trim(), line });
    }
    start = end + 1;
  };
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (ch === "'" || ch === '"') {
      i = skipQuoted(sql, i, ch);
    } else if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        i = close === -1 ? sql.length : close + tag.length;
      } else i++;
    } else if (ch === ';') {
      push(i);
      i++;
    } else i++;
  }
  push(sql.length);
  return out;
}

function skipQuoted(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function countLines(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The text without `--` and block comments (strings are kept). */
export function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/**
 * Whether a statement only creates a temporary table, view or macro: it changes nothing in the state database, so
 * the transform may run it before its transaction begins (see transform.ts for why).
 */
export function createsOnlyTempObjects(statement: string): boolean {
  return /^\s*create\s+(or\s+replace\s+)?temp(orary)?\s+(table|view|macro|function)\b/i.test(stripComments(statement));
}
