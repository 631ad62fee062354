import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/duckdb.js';
import { SqlError } from '../../src/errors.js';
import { loadSqlFiles } from '../../src/sql/files.js';
import { locateError, runSqlFile } from '../../src/sql/runner.js';
import { createsOnlyTempObjects, splitStatements } from '../../src/sql/split.js';
import { literal, renderTemplate } from '../../src/sql/template.js';
import { SQL_DIR } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('splitStatements', () => {
  it('splits on top-level semicolons only and keeps start lines', () => {
    const sql = '-- head; comment\nselect \'a;b\' as x;\n\n/* ; */ select "c;d" from t;\n-- trailing only';
    const parts = splitStatements(sql);
    expect(parts.map((p) => p.line)).toEqual([1, 4]);
    expect(parts[0]?.text).toContain("'a;b'");
    expect(parts[1]?.text).toContain('"c;d"');
  });
});

describe('templates', () => {
  it('quotes values as literals so a quote cannot inject SQL', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(literal(['a', "b'; drop table x; --"])).toBe("['a', 'b''; drop table x; --']");
    expect(renderTemplate('select {{ run_id }}', { run_id: "x'y" }, 'f.sql')).toBe("select 'x''y'");
  });

  it('names the file and line of an unknown variable', () => {
    expect(() => renderTemplate('select 1,\n{{ nope }}', { run_id: 'x' }, 'models/010_a.sql')).toThrow(
      'models/010_a.sql:2: unknown template variable',
    );
  });
});

describe('loadSqlFiles', () => {
  it('reads the project sql/ in stage and number order with hashes', () => {
    const files = loadSqlFiles(SQL_DIR);
    const models = files.filter((f) => f.stage === 'models').map((f) => f.relPath);
    expect(models).toEqual([...models].sort());
    expect(files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(files.map((f) => f.stage)).toEqual(
      [...files.map((f) => f.stage)].sort((a, b) => ['models', 'checks', 'kpis'].indexOf(a) - ['models', 'checks', 'kpis'].indexOf(b)),
    );
  });

  it('fails loudly on a bad name or a duplicate number', () => {
    const dir = tempDir('sqlnames');
    fs.mkdirSync(path.join(dir, 'models'));
    fs.writeFileSync(path.join(dir, 'models/010_a.sql'), 'select 1');
    fs.writeFileSync(path.join(dir, 'models/010_b.sql'), 'select 1');
    expect(() => loadSqlFiles(dir)).toThrow(/010 is also used by models\/010_a.sql/);
    fs.rmSync(path.join(dir, 'models/010_b.sql'));
    fs.writeFileSync(path.join(dir, 'models/Final.sql'), 'select 1');
    expect(() => loadSqlFiles(dir)).toThrow(/models\/Final.sql: file name must look like/);
  });
});

describe('runSqlFile errors', () => {
  it('maps DuckDB LINE numbers to the file line', () => {
    expect(locateError('Binder Error: x not found\n\nLINE 3: select x', 10)).toEqual({ line: 12, detail: 'Binder Error: x not found' });
  });

  it('names the file and the line of a broken statement', async () => {
    const dir = tempDir('sqlerr');
    fs.mkdirSync(path.join(dir, 'models'));
    fs.writeFileSync(
      path.join(dir, 'models/010_bad.sql'),
      '-- header\ncreate table a as select 1 as x;\n\ncreate table b as\nselect\n  y\nfrom a;\n',
    );
    const [file] = loadSqlFiles(dir);
    const engine = await openEngine({ path: ':memory:' });
    try {
      await runSqlFile(engine, file!, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SqlError);
      expect((error as SqlError).message).toMatch(/^models\/010_bad.sql:6: Binder Error/);
    } finally {
      engine.close();
    }
  });
});

describe('createsOnlyTempObjects (statements the transform runs before its transaction)', () => {
  it('is true only for creating a temporary table, view or macro, comments before it allowed', () => {
    expect(createsOnlyTempObjects('-- why\ncreate or replace temp table clean_ads as select 1')).toBe(true);
    expect(createsOnlyTempObjects('CREATE TEMPORARY VIEW v AS SELECT 1')).toBe(true);
    expect(createsOnlyTempObjects('/* a */ create or replace temp macro f(x) as x + 1')).toBe(true);
    expect(createsOnlyTempObjects('create table if not exists campaign_daily (a int)')).toBe(false);
    expect(createsOnlyTempObjects('create or replace table temp_stuff as select 1')).toBe(false);
    expect(createsOnlyTempObjects('insert into campaign_daily select 1')).toBe(false);
    expect(createsOnlyTempObjects('delete from campaign_daily')).toBe(false);
    expect(createsOnlyTempObjects("select 'create temp table x'")).toBe(false);
  });
});
