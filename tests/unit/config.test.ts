import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLake, resolveConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('config', () => {
  it('defaults to the local lake and named folders', () => {
    const c = resolveConfig({}, {});
    expect(c.lake).toEqual({ kind: 'local', root: path.resolve('data/lake') });
    expect(c.state).toBe(path.resolve('data/state/warehouse.duckdb'));
    expect(c.outputDir).toBe(path.resolve('data/output'));
    expect(c.s3Read).toBe('auto');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses s3://bucket/prefix and trims slashes', () => {
    expect(parseLake('s3://my-bucket/a/b/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'a/b' });
    expect(parseLake('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
  });

  it('takes region and endpoint from AWS_* when no flag is given, and flags win', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' };
    expect(resolveConfig({}, env).s3Region).toBe('eu-west-1');
    expect(resolveConfig({ s3Region: 'us-east-2' }, env).s3Region).toBe('us-east-2');
    expect(resolveConfig({}, env).s3Endpoint).toBe('http://127.0.0.1:9000');
  });

  it('reports every problem at once with exit code 2', () => {
    try {
      resolveConfig({ lake: 's3://BAD_bucket', logLevel: 'loud', s3Read: 'maybe' }, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const e = error as ConfigError;
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain('bucket');
      expect(e.message).toContain('--log-level');
      expect(e.message).toContain('--s3-read');
    }
  });

  it('rejects unknown schemes', () => {
    expect(() => parseLake('gs://bucket/x')).toThrow(/unsupported scheme/);
  });
});
