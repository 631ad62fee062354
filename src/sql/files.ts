// Finds the SQL files of a sql/ folder, checks their names and order, and fingerprints them.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

export const SQL_STAGES = ['models', 'checks', 'kpis'] as const;
export type SqlStage = (typeof SQL_STAGES)[number];

export interface SqlFile {
  readonly stage: SqlStage;
  /** The name used for outputs: the file name without its number and `.sql`, e.g. `platform_performance`. */
  readonly name: string;
  /** Path relative to the sql folder, with `/`, e.g. `kpis/010_platform_performance.sql`. */
  readonly relPath: string;
  readonly absPath: string;
  readonly text: string;
  readonly sha256: string;
}

/** `NNN_name.sql`: a number that sets the order, then a lowercase name. */
const NAME = /^(\d{3})_([a-z][a-z0-9_]*)\.sql$/;

/** Reads every stage's files in run order; bad names, duplicate numbers or names fail loudly. */
export function loadSqlFiles(sqlDir: string): SqlFile[] {
  if (!fs.existsSync(path.join(sqlDir, 'models'))) {
    throw new ConfigError(`--sql-dir ${sqlDir}: no models/ folder`, {
      hint: "Point --sql-dir at a folder laid out like the project's sql/ (models/, checks/, kpis/).",
    });
  }
  const out: SqlFile[] = [];
  for (const stage of SQL_STAGES) {
    const dir = path.join(sqlDir, stage);
    if (!fs.existsSync(dir)) continue;
    const names = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const numbers = new Map<string, string>();
    const seen = new Map<string, string>();
    for (const file of names) {
      const relPath = `${stage}/${file}`;
      const match = NAME.exec(file);
      if (!match) {
        throw new ConfigError(`${relPath}: file name must look like 010_my_name.sql (three digits, underscore, lowercase name)`);
      }
      const [, number, name] = match as unknown as [string, string, string];
      const clash = numbers.get(number);
      if (clash) throw new ConfigError(`${relPath}: number ${number} is also used by ${clash}; give each file its own number`);
      const twin = seen.get(name);
      if (twin) throw new ConfigError(`${relPath}: name "${name}" is also used by ${twin}`);
      numbers.set(number, relPath);
      seen.set(name, relPath);
      const absPath = path.join(dir, file);
      const text = fs.readFileSync(absPath, 'utf8');
      out.push({ stage, name, relPath, absPath, text, sha256: createHash('sha256').update(text).digest('hex') });
    }
  }
  return out;
}

/** The files of one stage, in run order. */
export function stageFiles(files: readonly SqlFile[], stage: SqlStage): SqlFile[] {
  return files.filter((f) => f.stage === stage);
}
