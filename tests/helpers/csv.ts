// A small independent CSV reader for tests, so expected values never come from the code under test.
import fs from 'node:fs';
import path from 'node:path';

/** Parses RFC 4180 CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

/** Every data row of every CSV below `dir`, as objects keyed by header. */
export function readCsvTree(dir: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.csv')) {
        const [header, ...rows] = parseCsv(fs.readFileSync(full, 'utf8'));
        for (const r of rows) out.push(Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
      }
    }
  };
  walk(dir);
  return out;
}
