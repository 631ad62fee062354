// Picks the lake implementation for a Config.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Lake } from './lake.js';
import { LocalLake } from './local.js';

/** Opens the lake that `config.lake` names. */
export async function openLake(config: Config, _log: Logger): Promise<Lake> {
  if (config.lake.kind === 'local') return new LocalLake(config.lake.root, config.lakeUri);
  const { ConfigError } = await import('../errors.js');
  throw new ConfigError(`--lake ${config.lakeUri}: the S3 lake is not available in this build`, {
    hint: 'Use a local folder for --lake.',
  });
}
