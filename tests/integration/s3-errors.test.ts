// S3 failures through the CLI: each gives one clear line naming the bucket or endpoint, a fix, an exit code, no stack, no keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, SQL_DIR } from '../helpers/cli.js';
import {
  enableAuthWithPowerlessUser,
  FAKE_KEY_ID,
  FAKE_SECRET,
  FAKE_TOKEN,
  freePort,
  type Moto,
  motoAvailable,
  s3Env,
  startMoto,
} from '../helpers/moto.js';
import { tempDir } from '../helpers/tmp.js';

const STACK = /^\s+at /m;

function expectOneClearError(r: CliResult, code: number, message: RegExp): void {
  expect(r.code).toBe(code);
  const lines = r.stderr.trim().split('\n');
  const errors = lines.filter((l) => l.startsWith('error: '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(lines.some((l) => l.startsWith('hint: '))).toBe(true);
  expect(r.stderr).not.toMatch(STACK);
  for (const secret of [FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN]) expect(r.stdout + r.stderr).not.toContain(secret);
}

describe.skipIf(!motoAvailable())('S3 errors (moto)', () => {
  let moto: Moto;
  let env: Record<string, string | undefined>;
  const generate = (lake: string) => ['generate', '--rows', '20', '--from', '2026-01-01', '--to', '2026-01-05', '--lake', lake];

  beforeAll(async () => {
    moto = await startMoto();
    env = s3Env(moto);
    await moto.createBucket('mketl-errors');
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('a missing bucket: exit 2, names the bucket and how to create it', async () => {
    const r = await runCli(generate('s3://mketl-no-such-bucket/x'), { cwd: tempDir('s3-err'), env });
    expectOneClearError(r, 2, /S3 bucket "mketl-no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stderr).toContain('aws s3 mb s3://mketl-no-such-bucket');
  });

  it('an unreachable endpoint (closed loopback port): exit 1, names the endpoint', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = await runCli(['transform', '--lake', 's3://mketl-errors/x', '--s3-endpoint', closed, '--sql-dir', SQL_DIR], {
      cwd: tempDir('s3-err'),
      env,
    });
    expectOneClearError(r, 1, new RegExp(`cannot reach S3 endpoint ${closed} \\(ECONNREFUSED\\) for bucket "mketl-errors"`));
  });

  it('no credentials anywhere: exit 2 with how to configure them', async () => {
    const r = await runCli(generate('s3://mketl-errors/x'), {
      cwd: tempDir('s3-err'),
      env: { ...env, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined },
    });
    expectOneClearError(r, 2, /no AWS credentials found/);
    expect(r.stderr).toContain('AWS_ACCESS_KEY_ID');
  });

  it('--s3-read httpfs where httpfs cannot load: exit 2, says how to install it offline', async () => {
    const cwd = tempDir('s3-err');
    expect((await runCli(generate('s3://mketl-errors/httpfs'), { cwd, env })).code).toBe(0);
    const r = await runCli(['transform', '--lake', 's3://mketl-errors/httpfs', '--s3-read', 'httpfs', '--sql-dir', SQL_DIR], { cwd, env });
    expectOneClearError(r, 2, /--s3-read httpfs: DuckDB's httpfs extension cannot be loaded/);
    expect(r.stderr).toMatch(/SET extension_directory = .*INSTALL .*httpfs/);
    expect(r.stderr).toMatch(/--s3-read auto or sdk/);
  });

  it('--log-level debug adds the stack trace, still without keys', async () => {
    const r = await runCli([...generate('s3://mketl-no-such-bucket/x'), '--log-level', 'debug'], { cwd: tempDir('s3-err'), env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(STACK);
    for (const secret of [FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN]) expect(r.stderr).not.toContain(secret);
  });

  it('doctor: one line per check, exit 0 when all pass', async () => {
    const r = await runCli(['doctor', '--lake', 's3://mketl-errors/doc'], { cwd: tempDir('s3-doc'), env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0]?.trim())).toEqual([
      'ok    configuration',
      'ok    credentials',
      'ok    bucket',
      'ok    bucket writable',
      'ok    state folder',
      'ok    output folder',
      'warn  httpfs',
    ]);
    expect(lines[6]).toMatch(/auto downloads raw files through the AWS SDK instead\s+fix: .*INSTALL/);
    for (const secret of [FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN]) expect(r.stdout + r.stderr).not.toContain(secret);
    // The write probe was deleted again.
    const listing = await (await fetch(`${moto.endpoint}/mketl-errors?list-type=2&prefix=doc/`)).text();
    expect(listing).not.toContain('<Key>');
  });

  it('doctor: a missing bucket and a forced httpfs fail with a fix each, exit 2', async () => {
    const r = await runCli(['doctor', '--lake', 's3://mketl-no-such-bucket/doc', '--s3-read', 'httpfs'], { cwd: tempDir('s3-doc'), env });
    expect(r.code).toBe(2);
    const fails = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(fails).toHaveLength(2);
    expect(fails[0]).toMatch(/^FAIL {2}bucket: S3 bucket "mketl-no-such-bucket" does not exist.* fix: Create it/);
    expect(fails[1]).toMatch(/^FAIL {2}httpfs: cannot load .* fix: Install httpfs offline/);
    expect(r.stderr).toMatch(/error: doctor: 2 of 6 checks failed \(bucket, httpfs\)/);
  });

  it('doctor on the local lake checks the folders', async () => {
    const r = await runCli(['doctor'], { cwd: tempDir('local-doc') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {4}lake folder: .* is writable$/m);
    expect(r.stdout).toMatch(/^skip {2}httpfs: not needed for a local lake$/m);
  });

  describe('with authorization enforced', () => {
    let powerless: { keyId: string; secret: string };

    beforeAll(async () => {
      powerless = await enableAuthWithPowerlessUser(moto);
    });

    it('wrong credentials: exit 2, names the endpoint and bucket', async () => {
      const r = await runCli(generate('s3://mketl-errors/x'), { cwd: tempDir('s3-err'), env });
      expectOneClearError(
        r,
        2,
        /S3 at http:\/\/127\.0\.0\.1:\d+ rejected the credentials for bucket "mketl-errors" \(InvalidAccessKeyId\)/,
      );
    });

    it('AccessDenied: names the action and the bucket, hints at the permissions (doctor, exit 2)', async () => {
      // HeadBucket: moto's signature check mis-verifies the SDK's listings with a prefix and its chunked PutObject bodies.
      const r = await runCli(['doctor', '--lake', 's3://mketl-errors/x'], {
        cwd: tempDir('s3-err'),
        env: { ...env, AWS_ACCESS_KEY_ID: powerless.keyId, AWS_SECRET_ACCESS_KEY: powerless.secret, AWS_SESSION_TOKEN: undefined },
      });
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(
        /^FAIL {2}bucket: access denied: HeadBucket on s3:\/\/mketl-errors at http:\/\/127\.0\.0\.1:\d+ .* fix: Grant .*s3:ListBucket/m,
      );
      expect(r.stdout + r.stderr).not.toContain(powerless.secret);
      expect(r.stdout + r.stderr).not.toContain(powerless.keyId);
    });
  });
});
