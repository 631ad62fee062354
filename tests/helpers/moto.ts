// Starts moto_server (an S3 emulator) on a free loopback port for a test file, and stops it by PID.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

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

export interface Moto {
  endpoint: string;
  port: number;
  /** Creates a bucket (unsigned PUT: moto does not check signatures unless auth is on). */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (also used for "unreachable endpoint" tests once closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${log()}`);
}

/** Starts moto_server on 127.0.0.1 and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  await waitUntilAnswering(endpoint, child, () => stderr);
  return {
    endpoint,
    port,
    async createBucket(name) {
      const response = await fetch(`${endpoint}/${name}`, { method: 'PUT' });
      if (!response.ok) throw new Error(`cannot create bucket ${name}: ${response.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.pid === undefined) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}

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
