/**
 * A loopback proxy in front of the Slack stand-in that holds chosen Web API calls for a while before
 * forwarding them: the network distance between a bot and Slack (100-300 ms is ordinary), during which a
 * post has been sent but has not landed yet.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LatencyProxy {
  /** Use as slackApiUrl: http://127.0.0.1:PORT/api/ */
  readonly url: string;
  close(): Promise<void>;
}

export async function startLatencyProxy(targetApiUrl: string, delayMs: number, methods: readonly string[]): Promise<LatencyProxy> {
  const target = new URL(targetApiUrl);
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const forward = () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) headers[name] = value;
        }
        fetch(`${target.origin}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) })
          .then(async (answer) => {
            const body = Buffer.from(await answer.arrayBuffer());
            const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
            const retryAfter = answer.headers.get('retry-after');
            if (retryAfter) out['retry-after'] = retryAfter;
            res.writeHead(answer.status, out).end(body);
          })
          .catch(() => {
            if (!res.headersSent) res.writeHead(502).end();
          });
      };
      if (!methods.includes(method)) {
        forward();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        forward();
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
