// Security: no credential in any output, history row or file at any log level; keys cannot inject SQL or escape
// the staging folder; SQL files run in a DuckDB locked to the lake, state and output folders.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Secret, withEngine } from '../../src/engine/duckdb.js';
import { type CliResult, runCli, SQL_DIR } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';
import { readState } from '../helpers/state.js';
import { tempDir } from '../helpers/tmp.js';

const GENERATE = ['generate', '--rows', '600', '--batch-rows', '100', '--from', '2026-01-01', '--to', '2026-01-31', '--seed', '5'];
const LEAKS = [FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, /authorization/i, /X-Amz-Signature/i, /AWS4-HMAC-SHA256/, /x-amz-security-token/i];

function expectNoLeak(label: string, text: string): void {
  for (const leak of LEAKS) {
    if (typeof leak === 'string') expect(text, `${label} holds ${leak}`).not.toContain(leak);
    else expect(text, `${label} matches ${leak}`).not.toMatch(leak);
  }
}

/** Every row of every table of the state database, as text (run history, manifest, master, quarantine...). */
async function stateText(state: string): Promise<string> {
  return withEngine({ path: state, tempDirectory: `${state}.check.tmp` }, async (engine) => {
    const tables = await engine.all<{ name: string }>("select table_name as name from duckdb_tables() where schema_name = 'main'");
    let text = '';
    for (const { name } of tables) {
      const rows = await engine.all<{ t: string }>(`select t::varchar as t from "${name}" as t`);
      text += `${name}\n${rows.map((r) => r.t).join('\n')}\n`;
    }
    expect(text).toContain('etl_runs');
    return text;
  });
}

/** A copy of sql/ with one extra model file. */
function sqlDirWith(name: string, text: string): string {
  const dir = path.join(tempDir('sec-sql'), 'sql');
  fs.cpSync(SQL_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'models', name), text);
  return dir;
}

/** PUTs an object straight into moto with the raw request path (no URL normalisation of `..`). */
function rawPut(moto: Moto, rawPath: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-length': Buffer.byteLength(body) };
    const req = http.request({ host: '127.0.0.1', port: moto.port, method: 'PUT', path: rawPath, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!motoAvailable())('security (moto)', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    moto = await startMoto();
    env = s3Env(moto);
    proxy = await startFaultProxy(moto.endpoint);
  });

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('no key, secret, token, Authorization header or signature in output, run history or files, at debug level', async () => {
    await moto.createBucket('mketl-sec');
    const cwd = tempDir('sec-leak');
    const lake = ['--lake', 's3://mketl-sec/lake', '--s3-endpoint', proxy.url];
    const results: CliResult[] = [];
    const cli = async (args: string[]): Promise<CliResult> => {
      const r = await runCli(args, { cwd, env });
      results.push(r);
      return r;
    };
    // A good run, in both log formats.
    const first = await cli(['run', ...GENERATE.slice(1), '--run-id', 'a', ...lake, '--sql-dir', SQL_DIR, '--log-level', 'debug']);
    expect(first.code, first.stderr).toBe(0);
    expect(
      (await cli(['run', '--skip-generate', ...lake, '--sql-dir', SQL_DIR, '--log-level', 'debug', '--log-format', 'json'])).code,
    ).toBe(0);
    // A failing SQL file, an S3 download that fails after its retries, an access-denied listing: errors with stacks.
    const broken = sqlDirWith('025_broken.sql', 'select no_such_column from campaign_daily;\n');
    expect(
      (await cli(['run', ...GENERATE.slice(1), '--run-id', 'b', ...lake, '--sql-dir', broken, '--log-level', 'debug', '--retries', '0']))
        .code,
    ).toBe(1);
    proxy.setRules([{ method: 'GET', path: /part-00001\.csv/, action: { kind: 'status', status: 500 }, times: 1000 }]);
    expect((await cli(['run', '--skip-generate', ...lake, '--sql-dir', SQL_DIR, '--log-level', 'debug', '--retries', '0'])).code).toBe(1);
    proxy.setRules([{ method: 'GET', path: /list-type=2/, action: { kind: 'status', status: 403 }, times: 1000 }]);
    expect((await cli(['transform', ...lake, '--sql-dir', SQL_DIR, '--log-level', 'debug'])).code).toBe(2);
    proxy.setRules([]);
    expect((await cli(['runs', '--log-level', 'debug'])).code).toBe(0);
    expect((await cli(['doctor', ...lake, '--log-level', 'debug'])).code).toBe(0);

    const all = results.map((r) => r.stdout + r.stderr).join('\n');
    expect(all).toMatch(/no_such_column/); // the failures did happen and were reported...
    expect(all).toMatch(/InternalError/);
    expect(all).toMatch(/access denied/);
    expectNoLeak('CLI output', all); // ...without a credential
    expectNoLeak('state database', await stateText(path.join(cwd, 'data/state/warehouse.duckdb')));
    for (const f of fs.readdirSync(cwd, { recursive: true }) as string[]) {
      const full = path.join(cwd, f);
      if (fs.statSync(full).isFile()) expectNoLeak(f, fs.readFileSync(full, 'latin1'));
    }
  });

  it('a DuckDB error about the S3 secret does not echo the credentials', async () => {
    await withEngine({ path: ':memory:' }, async (engine) => {
      const failed = await createS3Secret(engine, {
        keyId: FAKE_KEY_ID,
        secret: FAKE_SECRET,
        sessionToken: FAKE_TOKEN,
        region: "us-east-1' ,, broken",
      }).catch((e: Error) => e);
      expect(failed).toBeInstanceOf(Error);
      let text = '';
      for (let e: unknown = failed; e instanceof Error; e = e.cause) text += `${e.message}\n${e.stack}\n`;
      expectNoLeak('secret error', text);
    });
  });

  it('keys with .., encoded traversal or quotes are skipped or quoted: nothing written outside staging, no SQL injected', async () => {
    await moto.createBucket('mketl-keys');
    // Nested, so that every place the evil keys below could reach lies inside `root`, which is scanned at the end
    // (not the whole temp folder, which other processes change while it is read).
    const root = tempDir('sec-keys');
    const cwd = path.join(root, 'a', 'b', 'c');
    fs.mkdirSync(cwd, { recursive: true });
    const lake = ['--lake', 's3://mketl-keys/lake', '--s3-endpoint', moto.endpoint];
    expect((await runCli([...GENERATE, '--run-id', 'ok', ...lake], { cwd, env })).code).toBe(0);
    const local = tempDir('sec-keys-local');
    expect((await runCli([...GENERATE, '--run-id', 'ok'], { cwd: local })).code).toBe(0);
    const good = fs.readFileSync(path.join(local, 'data/lake/raw/ads/run=ok/part-00001.csv'), 'utf8');
    expect(good.length).toBeGreaterThan(1000);
    const evil = [
      '/mketl-keys/lake/raw/ads/../../../../../../escaped-dots.csv',
      '/mketl-keys/lake/raw/ads/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/escaped-encoded.csv',
      '/mketl-keys/lake/raw/ads/run%3Dq/it%27s%27)%3B%20drop%20table%20etl_manifest%3B%20--.csv',
    ];
    for (const p of evil) expect(await rawPut(moto, p, good)).toBe(200);
    const listing = await (await fetch(`${moto.endpoint}/mketl-keys?list-type=2&prefix=lake/raw/`)).text();
    expect(listing).toContain('<Key>lake/raw/ads/../../../../../../escaped-dots.csv</Key>'); // moto kept the raw keys
    expect(listing).toContain('%2e%2e/%2e%2e');

    const r = await runCli(['transform', ...lake, '--sql-dir', SQL_DIR, '--s3-read', 'sdk'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/WARN skipping an S3 object whose key could escape the staging folder/g)).toHaveLength(2);
    const state = await readState(path.join(cwd, 'data/state/warehouse.duckdb'));
    expect(state.manifest).toContain("raw/ads/run=q/it's'); drop table etl_manifest; --.csv");
    expect(state.manifest.filter((k) => k.includes('escaped'))).toEqual([]);
    expect(state.manifest).toHaveLength(7);
    const files = fs.readdirSync(root, { recursive: true }) as string[];
    expect(files.filter((f) => f.includes('escaped-'))).toEqual([]);
  });

  it('SQL files run locked down: reading /etc/passwd or writing outside the allowed folders fails with file:line', async () => {
    const cwd = tempDir('sec-lockdown');
    expect((await runCli([...GENERATE, '--run-id', 'l'], { cwd })).code).toBe(0);
    const outside = path.join(tempDir('sec-outside'), 'stolen.csv');
    const cases: [string, string, RegExp][] = [
      [
        '025_read_passwd.sql',
        "-- tries to read a system file\ncreate temp table stolen as\nselect * from read_csv('/etc/passwd');\n",
        /models\/025_read_passwd\.sql:3: Permission Error: Cannot access file "\/etc\/passwd"/,
      ],
      [
        '025_write_outside.sql',
        `\ncopy (select 1 as x) to '${outside}';\n`,
        /models\/025_write_outside\.sql:2: Permission Error: Cannot access file/,
      ],
      ['025_unlock.sql', 'set enable_external_access = true;\n', /models\/025_unlock\.sql:1: .*configuration has been locked/],
      ['025_install.sql', '\n\nload httpfs;\n', /models\/025_install\.sql:3: Permission Error/],
    ];
    for (const [name, text, message] of cases) {
      const r = await runCli(['transform', '--sql-dir', sqlDirWith(name, text)], { cwd });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect((await readState(path.join(cwd, 'data/state/warehouse.duckdb'))).manifest).toEqual([]);
    }
    expect(fs.existsSync(outside)).toBe(false);
    // The stock SQL files still run under the same lockdown.
    expect((await runCli(['transform', '--sql-dir', SQL_DIR], { cwd })).code).toBe(0);
  });
});
