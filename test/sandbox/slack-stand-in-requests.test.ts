import { WebAPIHTTPError, WebAPIPlatformError } from '@slack/web-api';
import { clientFor, closeStandIns, rejectionOf, startStandIn, TOKEN } from './stand-in-client';

afterEach(closeStandIns);

const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Copy' } }];

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, json: (await response.json()) as unknown };
}

describe('SlackStandIn requests', () => {
  it('parses the nested JSON fields of a WebClient form body and records the call with its token', async () => {
    const standIn = await startStandIn();

    await clientFor(standIn).chat.postMessage({ channel: 'C0REVIEW', text: 'hi', blocks });

    const [call] = standIn.callsTo('chat.postMessage');
    expect(call).toMatchObject({ seq: 1, token: TOKEN, status: 200, params: { channel: 'C0REVIEW', text: 'hi', blocks } });
    expect(call?.params).not.toHaveProperty('token');
    expect(call?.response).toMatchObject({ ok: true, channel: 'C0REVIEW' });
    expect(Math.abs((call?.at ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it('accepts a raw JSON body with a bearer token, like Slack', async () => {
    const standIn = await startStandIn();
    const body = JSON.stringify({ channel: 'C0REVIEW', text: 'from json', blocks });

    const answer = await post(`${standIn.url}chat.postMessage`, body, {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${TOKEN}`,
    });

    expect(answer).toMatchObject({ status: 200, json: { ok: true, channel: 'C0REVIEW' } });
    expect(standIn.messages('C0REVIEW')[0]).toMatchObject({ text: 'from json', blocks });
  });

  it('accepts a token form field but, like Slack, not a token inside a JSON body', async () => {
    const standIn = await startStandIn();
    const form = new URLSearchParams({ token: TOKEN, channel: 'C0REVIEW', text: 'form' }).toString();

    const viaForm = await post(`${standIn.url}chat.postMessage`, form, { 'content-type': 'application/x-www-form-urlencoded' });
    const viaJson = await post(`${standIn.url}chat.postMessage`, JSON.stringify({ token: TOKEN, channel: 'C0REVIEW', text: 'json' }), {
      'content-type': 'application/json',
    });

    expect(viaForm.json).toMatchObject({ ok: true });
    expect(viaJson.json).toEqual({ ok: false, error: 'not_authed' });
    expect(standIn.messages().map((m) => m.text)).toEqual(['form']);
  });

  it('answers invalid_json to a malformed JSON body', async () => {
    const standIn = await startStandIn();

    const answer = await post(`${standIn.url}chat.postMessage`, '{"channel":', {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
    });

    expect(answer).toEqual({ status: 200, json: { ok: false, error: 'invalid_json' } });
    expect(standIn.calls[0]).toMatchObject({ method: 'chat.postMessage', status: 200 });
  });

  it('answers not_authed without a token and invalid_auth with the wrong one', async () => {
    const standIn = await startStandIn({ token: TOKEN });

    const missing = await rejectionOf(clientFor(standIn, {}, null).auth.test());
    const wrong = await rejectionOf(clientFor(standIn, {}, 'xoxb-wrong').chat.postMessage({ channel: 'C0REVIEW', text: 'x' }));
    const right = await clientFor(standIn).auth.test();

    expect((missing as WebAPIPlatformError).data.error).toBe('not_authed');
    expect((wrong as WebAPIPlatformError).data.error).toBe('invalid_auth');
    expect(right).toMatchObject({
      ok: true,
      url: 'https://greenlight-sandbox.slack.com/',
      team_id: 'T0SANDBOX',
      user_id: 'U0GREENLIGHT',
      bot_id: 'B0GREENLIGHT',
    });
    expect(standIn.messages()).toHaveLength(0);
    expect(standIn.calls.map((c) => c.token)).toEqual([undefined, 'xoxb-wrong', TOKEN]);
  });

  it('answers an unknown method with HTTP 404 unknown_method and records it', async () => {
    const standIn = await startStandIn();

    const failure = await rejectionOf(clientFor(standIn).apiCall('chat.frobnicate', { channel: 'C0REVIEW' }));

    expect(failure).toBeInstanceOf(WebAPIHTTPError);
    expect((failure as WebAPIHTTPError).statusCode).toBe(404);
    expect(standIn.callsTo('chat.frobnicate')[0]).toMatchObject({ status: 404, response: { ok: false, error: 'unknown_method' } });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const standIn = await startStandIn();
    const body = new URLSearchParams({ token: TOKEN, channel: 'C0REVIEW', text: 'x'.repeat(1024 * 1024) }).toString();

    const answer = await post(`${standIn.url}chat.postMessage`, body, { 'content-type': 'application/x-www-form-urlencoded' });

    expect(answer.status).toBe(413);
    expect(standIn.calls[0]?.status).toBe(413);
    expect(standIn.messages()).toHaveLength(0);
  });

  it('records response_url posts under their key and answers ok', async () => {
    const standIn = await startStandIn();
    const url = standIn.responseUrl('cmd-1');

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Flagged' }),
    });
    const refused = await fetch(url, { method: 'POST', body: 'not json' });

    expect(url).toBe(`http://127.0.0.1:${standIn.port}/respond/cmd-1`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(refused.status).toBe(400);
    expect(standIn.responses('cmd-1')).toEqual([
      expect.objectContaining({ key: 'cmd-1', body: { response_type: 'ephemeral', text: 'Flagged' } }),
    ]);
    expect(standIn.responses('other')).toEqual([]);
  });

  it('answers a response_url past its life 404 expired_url, and keeps nothing posted to it', async () => {
    const standIn = await startStandIn();
    standIn.expireResponseUrl('cmd-old');
    const answer = await fetch(standIn.responseUrl('cmd-old'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Flagged' }) });
    expect(`${answer.status} ${await answer.text()}`).toBe('404 expired_url');
    expect(standIn.responses('cmd-old')).toEqual([]);
  });

  it('refuses a response_url message Slack would refuse: no text, too long, or invalid blocks', async () => {
    const standIn = await startStandIn();
    const post = async (body: unknown) => {
      const answer = await fetch(standIn.responseUrl('cmd-2'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return `${answer.status} ${await answer.text()}`;
    };

    expect(await post({ response_type: 'ephemeral', text: ' ' })).toBe('400 no_text');
    expect(await post({ text: 'x'.repeat(40_001) })).toBe('400 msg_too_long');
    expect(await post({ text: 'Flagged', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] })).toBe('400 invalid_blocks');
    expect(standIn.responses('cmd-2')).toEqual([]);
    // a deletion carries no message, and a message of blocks only is one
    expect(await post({ delete_original: true })).toBe('200 ok');
    expect(await post({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Done' } }] })).toBe('200 ok');
  });

  it('writes log lines only to the log callback, and never the token', async () => {
    const lines: string[] = [];
    const standIn = await startStandIn({ log: (line) => lines.push(line) });

    await clientFor(standIn).chat.postMessage({ channel: 'C0REVIEW', text: 'x' });

    expect(lines.some((l) => l.includes('chat.postMessage -> 200 ok'))).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('forgets calls, messages and faults on reset but keeps its users', async () => {
    const standIn = await startStandIn({ users: [{ id: 'U0ANA', name: 'ana', email: 'ana@example.com' }] });
    const client = clientFor(standIn);
    await client.chat.postMessage({ channel: 'C0REVIEW', text: 'x' });
    standIn.inject({ fault: { kind: 'slack_error', error: 'fatal_error' } });

    standIn.reset();

    expect(standIn.calls).toEqual([]);
    expect(standIn.messages()).toEqual([]);
    await expect(client.users.lookupByEmail({ email: 'ana@example.com' })).resolves.toMatchObject({ ok: true });
    expect(standIn.calls[0]?.seq).toBe(1);
  });
});
