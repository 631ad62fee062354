// Starts moto_server (an S3 emulator) on a free loopback port for the S3 benchmarks and tests, and stops it by its PID.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

export interface MotoServer {
  endpoint: string;
  port: number;
  /** Environment for a CLI child that talks to this server with fake keys and can reach nothing else. */
  env: Record<string, string | undefined>;
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
      if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${log()}`);
}

/** moto_server on 127.0.0.1, answering; throws a clear error when it is not on PATH. */
export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawned) throw new Error(`cannot start moto_server (pip install "moto[server]"): ${spawned.message}`);
  await waitUntilAnswering(endpoint, child, () => stderr);
  return {
    endpoint,
    port,
    env: {
      AWS_ACCESS_KEY_ID: 'MKETLBENCHKEY',
      AWS_SECRET_ACCESS_KEY: 'mketl-bench-secret',
      AWS_SESSION_TOKEN: undefined,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/mketl-bench-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mketl-bench-aws-credentials',
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL_S3: undefined,
      AWS_DEFAULT_REGION: undefined,
    },
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
