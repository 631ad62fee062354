// moto_server (an S3 emulator) for test files: availability under CI, fake keys, the CLI's environment, auth.
import { spawnSync } from 'node:child_process';
import { freePort, type MotoServer, startMoto } from '../../src/bench/moto.js';

/** Distinctive fake credentials (moto accepts any): tests assert they never appear in output. */
export const FAKE_KEY_ID = 'MKETLTESTKEYID0042';
export const FAKE_SECRET = 'mketl-fake-secret-Zq9xW2vB7nL4';
export const FAKE_TOKEN = 'mketl-fake-session-token-Pj8Rw3Kx';

/** True when moto_server is on PATH. Under CI=true a missing moto_server fails the test file instead. */
export function motoAvailable(): boolean {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  if (process.env.CI === 'true')
    throw new Error('moto_server is not on PATH: CI must run the S3 integration tests (pip install "moto[server]")');
  console.warn('NOTICE: moto_server is not on PATH, so the S3 integration tests are SKIPPED (pip install "moto[server]")');
  return false;
}

/** A running moto_server (the bench's helper: one way to start and stop it). */
export type Moto = MotoServer;
export { freePort, startMoto };

/** Makes an IAM user with an access key and no permissions, then turns moto's authorization on. */
export async function enableAuthWithPowerlessUser(moto: Moto): Promise<{ keyId: string; secret: string }> {
  // moto routes unsigned IAM calls by the credential scope in the Authorization header while auth is off.
  const headers = {
    Authorization: 'AWS4-HMAC-SHA256 Credential=MKETLSETUP/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  const iam = async (body: string): Promise<string> => {
    const response = await fetch(`${moto.endpoint}/`, { method: 'POST', headers, body: `${body}&Version=2010-05-08` });
    const text = await response.text();
    if (!response.ok) throw new Error(`moto IAM call failed: ${text}`);
    return text;
  };
  await iam('Action=CreateUser&UserName=mketl-powerless');
  const xml = await iam('Action=CreateAccessKey&UserName=mketl-powerless');
  const keyId = /<AccessKeyId>([^<]+)</.exec(xml)?.[1];
  const secret = /<SecretAccessKey>([^<]+)</.exec(xml)?.[1];
  if (!keyId || !secret) throw new Error(`unexpected CreateAccessKey answer: ${xml}`);
  const reset = await fetch(`${moto.endpoint}/moto-api/reset-auth`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: '0',
  });
  if (!reset.ok) throw new Error(`cannot enable moto auth: ${reset.status}`);
  return { keyId, secret };
}

/** Environment for a CLI child that talks to moto with the fake keys and can reach nothing else. */
export function s3Env(moto: Moto, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: FAKE_KEY_ID,
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET,
    AWS_SESSION_TOKEN: FAKE_TOKEN,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: moto.endpoint,
    // Keep the provider chain off the network (instance metadata) and away from the user's own profiles.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/mketl-test-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mketl-test-aws-credentials',
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL_S3: undefined,
    AWS_DEFAULT_REGION: undefined,
    ...extra,
  };
}
