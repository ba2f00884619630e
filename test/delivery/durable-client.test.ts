import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DurableFirstClient } from '../../src/delivery/durable-client';

test('a delivery call waits until the commits it may render are durable', async () => {
  // given a Web API that records calls, and a client whose durability gate the test opens by hand
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    calls.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: 'C1', ts: '1.2' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const client = new DurableFirstClient('xoxb-test', { slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, retryConfig: { retries: 0 } }, () => gate);
  try {
    // when a post is made while a sync is still running
    const posted = client.chat.postMessage({ channel: 'C1', text: 'Approved' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // then nothing has reached Slack yet
    expect(calls).toEqual([]);
    // and once the commits are durable, the post goes out
    open();
    await expect(posted).resolves.toMatchObject({ ok: true, ts: '1.2' });
    expect(calls).toEqual(['/api/chat.postMessage']);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
