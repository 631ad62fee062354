// `doctor`: checks configuration, credentials, the lake (bucket or folder) and httpfs; returns one result per check.
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type Config, type ConfigInput, resolveConfig } from './config.js';
import { duckdbBuild, loadHttpfs, withEngine } from './engine/duckdb.js';
import { EtlError, messageOf } from './errors.js';
import { openS3Lake } from './lake/index.js';
import { LocalLake } from './lake/local.js';
import type { S3Lake } from './lake/s3.js';
import { httpfsOfflineHint } from './lake/s3-read.js';
import { createLogger } from './log.js';

export type CheckStatus = 'ok' | 'warn' | 'skip' | 'fail';

/** The outcome of one check; `fix` says what to do when it is not ok. */
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string | undefined;
}

const PROBE_PREFIX = '_mketl-doctor/';
const probeKey = (): string => `${PROBE_PREFIX}${randomBytes(6).toString('hex')}.probe`;

const failed = (name: string, error: unknown): DoctorCheck => ({
  name,
  status: 'fail',
  detail: messageOf(error),
  fix: error instanceof EtlError ? error.hint : undefined,
});

async function folderWritable(name: string, dir: string): Promise<DoctorCheck> {
  const probe = path.join(dir, `.mketl-doctor-${randomBytes(6).toString('hex')}`);
  try {
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(probe, 'probe');
    await fsp.rm(probe, { force: true });
    return { name, status: 'ok', detail: `${dir} is writable` };
  } catch (error) {
    return { name, status: 'fail', detail: `${dir} is not writable: ${messageOf(error)}`, fix: `Create ${dir} or choose another folder.` };
  }
}

async function s3Checks(config: Config & { lake: { kind: 's3' } }): Promise<DoctorCheck[]> {
  let lake: S3Lake;
  try {
    lake = await openS3Lake(config, createLogger({ level: 'silent', format: 'pretty' }));
  } catch (error) {
    return [failed(/region/i.test(messageOf(error)) ? 'region' : 'credentials', error)];
  }
  const checks: DoctorCheck[] = [
    { name: 'credentials', status: 'ok', detail: 'found through the AWS default provider chain (values not shown)' },
  ];
  try {
    await lake.checkBucket();
    checks.push({ name: 'bucket', status: 'ok', detail: `s3://${config.lake.bucket} exists and is reachable` });
    const key = probeKey();
    await lake.write(key, 'marketing-etl doctor probe\n');
    await lake.remove(key);
    checks.push({ name: 'bucket writable', status: 'ok', detail: `wrote and deleted a probe object under ${config.lakeUri}` });
  } catch (error) {
    checks.push(failed(checks.length === 1 ? 'bucket' : 'bucket writable', error));
  } finally {
    await lake.close();
  }
  return checks;
}

async function httpfsCheck(config: Config): Promise<DoctorCheck> {
  const name = 'httpfs';
  if (config.lake.kind === 'local') return { name, status: 'skip', detail: 'not needed for a local lake' };
  if (config.s3Read === 'sdk') return { name, status: 'skip', detail: 'not used (--s3-read sdk)' };
  return withEngine({ path: ':memory:' }, async (engine) => {
    const status = await loadHttpfs(engine);
    if (status.loaded) return { name, status: 'ok', detail: 'loads: DuckDB reads raw files straight from S3' };
    const fix = httpfsOfflineHint(await duckdbBuild(engine));
    if (config.s3Read === 'httpfs') return { name, status: 'fail', detail: `cannot load (${status.reason})`, fix };
    return { name, status: 'warn', detail: `cannot load (${status.reason}); auto downloads raw files through the AWS SDK instead`, fix };
  });
}

/** Runs every check that applies to the configuration; never throws. */
export async function runDoctor(input: ConfigInput): Promise<DoctorCheck[]> {
  let config: Config;
  try {
    config = resolveConfig(input);
  } catch (error) {
    return [failed('configuration', error)];
  }
  const where =
    config.lake.kind === 's3'
      ? `lake ${config.lakeUri}, endpoint ${config.s3Endpoint ?? 'AWS'}, region ${config.s3Region ?? '(SDK default)'}, s3-read ${config.s3Read}`
      : `lake ${config.lake.root}`;
  const checks: DoctorCheck[] = [{ name: 'configuration', status: 'ok', detail: where }];
  if (config.lake.kind === 's3') checks.push(...(await s3Checks(config as Config & { lake: { kind: 's3' } })));
  else checks.push(await folderWritable('lake folder', new LocalLake(config.lake.root).root));
  checks.push(await folderWritable('state folder', path.dirname(config.state)));
  checks.push(await folderWritable('output folder', config.outputDir));
  try {
    checks.push(await httpfsCheck(config));
  } catch (error) {
    checks.push(failed('httpfs', error));
  }
  return checks;
}
