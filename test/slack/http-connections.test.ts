import http from 'node:http';
import net from 'node:net';
import { LogLevel, type HTTPReceiver } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';
import { createHttpServer } from '../../src/slack/http-server';
import { signed } from '../helpers/slack-requests';

const SECRET = 'abc123';
const FORM = 'application/x-www-form-urlencoded';

/** The front door's cap on open connections: a flood of idle sockets is turned away, Slack's requests still get in. */

const lines: string[] = [];
let server: http.Server;
let port = 0;

beforeEach(async () => {
  lines.length = 0;
  // The receiver is never reached here: only /healthz and refused connections are asked for.
  const receiver = { requestListener: () => undefined } as unknown as HTTPReceiver;
  const logger = createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) });
  server = createHttpServer({ receiver, signingSecret: SECRET, logger, clock: Date.now, health: () => true, maxConnections: 2 });
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

describe('the budget for bodies not yet checked', () => {
  const BUDGET = 64 * 1024;
  let budgeted: http.Server;
  let budgetedPort = 0;
  let passedOn = 0;

  beforeEach(async () => {
    passedOn = 0;
    const receiver = {
      requestListener: (_req: http.IncomingMessage, res: http.ServerResponse) => {
        passedOn += 1;
        res.writeHead(200).end();
      },
    } as unknown as HTTPReceiver;
    const logger = createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) });
    budgeted = createHttpServer({ receiver, signingSecret: SECRET, logger, clock: Date.now, health: () => true, unverifiedBodyBudget: BUDGET });
    await new Promise<void>((resolve) => budgeted.listen(0, '127.0.0.1', resolve));
    const address = budgeted.address();
    budgetedPort = typeof address === 'object' && address ? address.port : 0;
  });

  afterEach(async () => {
    budgeted.closeAllConnections();
    await new Promise((resolve) => budgeted.close(resolve));
  });

  /** A POST that sends `bytes` of body and never finishes it; `answered` resolves with the status, if any comes. */
  function unfinished(bytes: number): { request: http.ClientRequest; answered: Promise<number | undefined> } {
    const request = http.request({ host: '127.0.0.1', port: budgetedPort, path: '/slack/events', method: 'POST', headers: { 'content-type': FORM } });
    const answered = new Promise<number | undefined>((resolve) => {
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', () => resolve(undefined));
    });
    request.write(Buffer.alloc(bytes, 'x'));
    return { request, answered };
  }

  /** A signed request of about 10 KB: a few in a row pass the budget unless each gives its bytes back. */
  async function signedPost(): Promise<number> {
    const request = signed(`command=%2Fmoment&text=hello&padding=${'x'.repeat(10 * 1024)}`, FORM, Math.floor(Date.now() / 1000), SECRET);
    const answer = await fetch(`http://127.0.0.1:${budgetedPort}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
    return answer.status;
  }

  test('unsigned senders holding the budget with unfinished bodies are refused 503, and Slack gets in once they leave', async () => {
    // given one sender holding most of the budget with a body it never finishes (its signature cannot be checked yet)
    const holder = unfinished(40 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 100));

    // when a second sends more than the budget has left, then it is refused at once, told when to retry, and logged
    const second = unfinished(40 * 1024);
    expect(await second.answered).toBe(503);
    expect(lines.filter((l) => l.includes('request refused: too many unchecked bodies being read'))).toHaveLength(1);

    // and once the holder leaves, its bytes are given back: a signed request is read and passed on
    holder.request.destroy();
    second.request.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await signedPost()).toBe(200);
    expect(passedOn).toBe(1);
  });

  test('bodies read whole give their bytes back: twenty signed requests in a row, 200 KB in all, all get in', async () => {
    for (let i = 0; i < 20; i += 1) expect(await signedPost()).toBe(200);
    expect(passedOn).toBe(20);
  });
});
