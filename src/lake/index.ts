// Picks the lake implementation for a Config.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Lake } from './lake.js';
import { LocalLake } from './local.js';
import type { S3Lake } from './s3.js';

/** Opens the S3 lake of an s3:// Config, resolving the credentials once. */
export async function openS3Lake(config: Config & { lake: { kind: 's3' } }, log: Logger): Promise<S3Lake> {
  // Loaded only for S3 lakes, so local runs never pay for the AWS SDK.
  const { S3Lake: S3 } = await import('./s3.js');
  return S3.open({
    bucket: config.lake.bucket,
    prefix: config.lake.prefix,
    uri: config.lakeUri,
    endpoint: config.s3Endpoint,
    region: config.s3Region,
    readMode: config.s3Read,
    maxAttempts: config.s3MaxAttempts,
    log,
  });
}

/** Opens the lake that `config.lake` names; for S3 this resolves the credentials once. */
export async function openLake(config: Config, log: Logger): Promise<Lake> {
  if (config.lake.kind === 'local') return new LocalLake(config.lake.root, config.lakeUri);
  return openS3Lake(config as Config & { lake: { kind: 's3' } }, log);
}
