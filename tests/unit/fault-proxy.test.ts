// The fault proxy itself: passes requests through, and spoils exactly as many as its rules say.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';

const BODY = Buffer.from('0123456789'.repeat(100));

async function get(url: string): Promise<{ status: number; body: Buffer } | { error: string }> {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', (e) => resolve({ error: e.message }));
        res.on('aborted', () => resolve({ error: 'aborted' }));
      })
      .on('error', (e) => resolve({ error: e.message }));
  });
}

describe('fault proxy', () => {
  let origin: http.Server;
  let proxy: FaultProxy;

  beforeAll(async () => {
    origin = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': BODY.length });
      res.end(BODY);
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    proxy = await startFaultProxy(`http://127.0.0.1:${(origin.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    await proxy.close();
    origin.closeAllConnections();
    await new Promise((r) => origin.close(r));
  });

  it('answers 503 the given number of times, then passes through', async () => {
    proxy.setRules([{ path: /^\/a/, action: { kind: 'status', status: 503 }, times: 2 }]);
    expect(await get(`${proxy.url}/a`)).toMatchObject({ status: 503 });
    expect(await get(`${proxy.url}/a`)).toMatchObject({ status: 503 });
    expect(await get(`${proxy.url}/a`)).toEqual({ status: 200, body: BODY });
    expect(proxy.injected()).toBe(2);
  });

  it('flips one byte of the body', async () => {
    proxy.setRules([{ path: /^\/b/, action: { kind: 'flip-byte' }, times: 1 }]);
    const spoiled = (await get(`${proxy.url}/b`)) as { body: Buffer };
    expect(spoiled.body.length).toBe(BODY.length);
    expect(spoiled.body.equals(BODY)).toBe(false);
  });

  it('cuts the body off midway', async () => {
    proxy.setRules([{ path: /^\/c/, action: { kind: 'reset-mid-body' }, times: 1 }]);
    const cut = await get(`${proxy.url}/c`);
    expect('error' in cut || (cut as { body: Buffer }).body.length < BODY.length).toBe(true);
  });
});
