import http from 'node:http';
import net from 'node:net';
import { LogLevel, type HTTPReceiver } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';
import { createHttpServer } from '../../src/slack/http-server';

/** The front door's cap on open connections: a flood of idle sockets is turned away, Slack's requests still get in. */

const lines: string[] = [];
let server: http.Server;
let port = 0;

beforeEach(async () => {
  lines.length = 0;
  // The receiver is never reached here: only /healthz and refused connections are asked for.
  const receiver = { requestListener: () => undefined } as unknown as HTTPReceiver;
  const logger = createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) });
  server = createHttpServer({ receiver, signingSecret: 'abc123', logger, clock: Date.now, health: () => true, maxConnections: 2 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function idleSocket(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves true when the server closes the socket within `ms` without answering anything. */
function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on('error', () => undefined);
  });
}

test('past the cap a new connection is closed at once and logged once; freed places take requests again', async () => {
  // given two idle connections holding both places
  const held = [await idleSocket(), await idleSocket()];
  await new Promise((resolve) => setTimeout(resolve, 50));

  // when two more arrive, then each is closed at once, and the log says so once
  const refused = [await idleSocket(), await idleSocket()];
  expect(await Promise.all(refused.map((s) => closedWithin(s, 2000)))).toEqual([true, true]);
  const said = lines.filter((l) => l.includes('connection refused: too many open'));
  expect(said).toHaveLength(1);
  expect(said[0]).toContain('"limit":2');

  // and once the idle ones leave, a request is served
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const answer = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(answer.status).toBe(200);
});

test('an error on the listening server (a failed accept) is logged, and the server goes on', async () => {
  const failed = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
  server.emit('error', failed);
  server.emit('error', failed);
  expect(lines.filter((l) => l.includes('the HTTP server reported an error'))).toHaveLength(2);
  const answer = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(answer.status).toBe(200);
});
