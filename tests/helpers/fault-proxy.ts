// A small fault-injecting HTTP proxy on loopback, put in front of moto_server to test S3 retries.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do to a matching request: answer with an error, cut the body, or flip a byte of it. */
export type FaultAction =
  | { kind: 'status'; status: 403 | 404 | 500 | 503; code?: string }
  | { kind: 'reset-mid-body' }
  | { kind: 'flip-byte' }
  /** Drops the connection before any answer (ECONNRESET at the client). */
  | { kind: 'reset' }
  /** Holds the request this long before forwarding it (a slow phase to kill the CLI in). */
  | { kind: 'delay'; ms: number };

export interface FaultRule {
  /** Which requests: method and a test on the path (with query). */
  method?: string;
  path: RegExp;
  action: FaultAction;
  /** How many matching requests to spoil before letting them through. */
  times: number;
}

export interface FaultProxy {
  readonly url: string;
  /** Requests seen, by `METHOD path`. */
  readonly requests: string[];
  /** Faults injected so far. */
  readonly injected: () => number;
  setRules(rules: FaultRule[]): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free 127.0.0.1 port, forwarding to `target` (e.g. http://127.0.0.1:5000). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rules: (FaultRule & { left: number })[] = [];
  const requests: string[] = [];
  let injected = 0;
  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    const rule = rules.find((r) => r.left > 0 && (!r.method || r.method === req.method) && r.path.test(req.url ?? ''));
    if (rule) rule.left--;
    if (rule?.action.kind === 'status') {
      injected++;
      req.resume();
      const code =
        rule.action.code ?? { 403: 'AccessDenied', 404: 'NoSuchBucket', 500: 'InternalError', 503: 'SlowDown' }[rule.action.status];
      res.writeHead(rule.action.status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>`);
      return;
    }
    if (rule?.action.kind === 'reset') {
      injected++;
      req.socket.destroy();
      return;
    }
    if (rule?.action.kind === 'delay') {
      injected++;
      const timer = setTimeout(() => pass(), rule.action.ms);
      req.socket.once('close', () => clearTimeout(timer));
      return;
    }
    pass(rule);
    function pass(spoil?: FaultRule): void {
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          if (!spoil) {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
            return;
          }
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const body = Buffer.concat(chunks);
            injected++;
            if (spoil.action.kind === 'reset-mid-body') {
              res.writeHead(up.statusCode ?? 200, up.headers);
              res.write(body.subarray(0, Math.floor(body.length / 2)));
              setTimeout(() => res.socket?.destroy(), 10);
            } else {
              const spoiled = Buffer.from(body);
              const at = Math.floor(spoiled.length / 2);
              spoiled[at] = (spoiled[at] ?? 0) ^ 0xff;
              res.writeHead(up.statusCode ?? 200, up.headers);
              res.end(spoiled);
            }
          });
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    injected: () => injected,
    setRules(next) {
      rules = next.map((r) => ({ ...r, left: r.times }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
