// Chooses how DuckDB reads the S3 lake: httpfs straight from the bucket, or SDK downloads to a staging folder.
import type { S3ReadMode } from '../config.js';
import { createS3Secret, duckdbBuild, type Engine, loadHttpfs, type S3SecretOptions } from '../engine/duckdb.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';

/** How to install httpfs on a machine that cannot download it, for the DuckDB build in use. */
export function httpfsOfflineHint(build: { version: string; platform: string }): string {
  const file = 'httpfs.duckdb_extension';
  return (
    `Install httpfs offline: on a connected machine fetch https://extensions.duckdb.org/${build.version}/${build.platform}/${file}.gz, ` +
    `copy it here and gunzip it, then with DuckDB ${build.version} run SET extension_directory = '~/.duckdb/extensions'; ` +
    `INSTALL '/path/to/${file}'; (or INSTALL httpfs FROM '/path/to/mirrored/repository';). Until then use --s3-read auto or sdk.`
  );
}

/** Applies --s3-read: returns the path taken and logs why; `httpfs` fails when the extension cannot load. */
export async function chooseReadPath(engine: Engine, mode: S3ReadMode, log: Logger, secret: S3SecretOptions): Promise<'httpfs' | 'sdk'> {
  if (mode === 'sdk') {
    log.info('S3 reads: AWS SDK downloads to a staging folder (--s3-read sdk)');
    return 'sdk';
  }
  const status = await loadHttpfs(engine);
  if (status.loaded) {
    await createS3Secret(engine, secret);
    log.info(`S3 reads: DuckDB httpfs straight from the bucket (${mode === 'auto' ? 'auto: httpfs loaded' : '--s3-read httpfs'})`);
    return 'httpfs';
  }
  if (mode === 'httpfs') {
    throw new ConfigError(`--s3-read httpfs: DuckDB's httpfs extension cannot be loaded (${status.reason})`, {
      hint: httpfsOfflineHint(await duckdbBuild(engine)),
    });
  }
  log.info('S3 reads: AWS SDK downloads to a staging folder (auto: httpfs cannot load)', { reason: status.reason });
  return 'sdk';
}
