// Turns AWS SDK and network failures into one-line EtlErrors that name the bucket or endpoint and the fix.
import { ConfigError, EtlError, messageOf } from '../errors.js';

/** Where an S3 call went, for messages. */
export interface S3Target {
  bucket: string;
  /** The custom endpoint, or undefined for AWS. */
  endpoint: string | undefined;
  region: string | undefined;
}

const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken', 'TokenRefreshRequired']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

const where = (t: S3Target): string => (t.endpoint ? ` at ${t.endpoint}` : ` (AWS, region ${t.region ?? 'unset'})`);

function errorName(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  return e?.Code ?? e?.name ?? e?.code ?? 'Error';
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string }; errors?: { code?: string }[] };
  return e?.code ?? e?.cause?.code ?? e?.errors?.[0]?.code;
}

const CREDENTIALS_HINT =
  'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys), or AWS_PROFILE for a ~/.aws profile (`aws configure`, `aws sso login`); then run `marketing-etl doctor`.';

/** No credentials anywhere in the default provider chain. */
export function noCredentialsError(cause: unknown): ConfigError {
  return new ConfigError('no AWS credentials found (environment, ~/.aws profiles, SSO, instance role)', {
    cause,
    hint: CREDENTIALS_HINT,
  });
}

/** Maps an SDK error of `action` on `key` (or the bucket) to an EtlError. Exit 2 for configuration, 1 otherwise. */
export function s3Error(error: unknown, action: string, target: S3Target, key?: string): EtlError {
  if (error instanceof EtlError) return error;
  const name = errorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const bucket = `"${target.bucket}"`;
  const object = key ? `s3://${target.bucket}/${key}` : `s3://${target.bucket}`;
  if (name === 'NoSuchBucket' || (name === 'NotFound' && !key)) {
    return new ConfigError(`S3 bucket ${bucket} does not exist${where(target)}`, {
      cause: error,
      hint: `Create it (aws s3 mb s3://${target.bucket}) or correct --lake; check --s3-endpoint and --s3-region.`,
    });
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new ConfigError(`S3${where(target)} rejected the credentials for bucket ${bucket} (${name})`, {
      cause: error,
      hint: CREDENTIALS_HINT,
    });
  }
  if (name === 'CredentialsProviderError') return noCredentialsError(error);
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) {
    return new ConfigError(`access denied: ${action} on ${object}${where(target)} (${name})`, {
      cause: error,
      hint: `Grant this identity s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on bucket ${target.bucket} (IAM or bucket policy), or use other credentials.`,
    });
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || name === 'IllegalLocationConstraintException') {
    return new ConfigError(`S3 bucket ${bucket} is in another region than ${target.region ?? 'the configured one'} (${name})`, {
      cause: error,
      hint: "Set --s3-region (or AWS_REGION) to the bucket's region.",
    });
  }
  const code = errorCode(error);
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'RequestTimeout') {
    const endpoint = target.endpoint ?? `the AWS S3 endpoint for ${target.region ?? 'the default region'}`;
    return new EtlError(`cannot reach S3 endpoint ${endpoint} (${code ?? name}) for ${key ? object : `bucket ${bucket}`}`, {
      cause: error,
      hint: 'Check --s3-endpoint / AWS_ENDPOINT_URL, that the server is running and reachable, and any proxy; then run `marketing-etl doctor`.',
    });
  }
  if (name === 'NoSuchKey' || (name === 'NotFound' && key)) {
    return new EtlError(`${object} does not exist${where(target)}`, {
      cause: error,
      hint: 'Another process may have removed it; run again.',
    });
  }
  return new EtlError(`S3 ${action} on ${object} failed: ${name}: ${messageOf(error).split('\n')[0]}`, {
    cause: error,
    hint: 'Run `marketing-etl doctor` to check the configuration; --log-level debug shows the full error.',
  });
}
