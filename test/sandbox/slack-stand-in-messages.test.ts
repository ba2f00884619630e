import { WebAPIPlatformError, type KnownBlock } from '@slack/web-api';
import { clientFor, closeStandIns, rejectionOf, startStandIn } from './stand-in-client';

afterEach(closeStandIns);

const card = (text: string): KnownBlock[] => [
  { type: 'header', text: { type: 'plain_text', text: 'Moment' } },
  { type: 'section', text: { type: 'mrkdwn', text } },
  {
    type: 'actions',
    elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: 'm1' }],
  },
];

const metadata = { event_type: 'moment_card', event_payload: { moment_id: 'm1' } };

describe('SlackStandIn messages', () => {
  it('round-trips a card through post, update, permalink and history, keeping its metadata', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);

    const posted = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'New moment', blocks: card('Copy'), metadata });
    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe('C0REVIEW');
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message).toMatchObject({ type: 'message', user: 'U0GREENLIGHT', bot_id: 'B0GREENLIGHT', text: 'New moment' });
    const ts = posted.ts ?? '';

    const updated = await client.chat.update({ channel: 'C0REVIEW', ts, text: 'Approved', blocks: card('Approved by Ana') });
    expect(updated).toMatchObject({ ok: true, channel: 'C0REVIEW', ts, text: 'Approved' });

    const link = await client.chat.getPermalink({ channel: 'C0REVIEW', message_ts: ts });
    expect(link.permalink).toBe(`https://greenlight-sandbox.slack.com/archives/C0REVIEW/p${ts.replace('.', '')}`);

    const history = await client.conversations.history({ channel: 'C0REVIEW', include_all_metadata: true });
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]).toMatchObject({ ts, text: 'Approved', metadata, bot_id: 'B0GREENLIGHT' });

    const stored = standIn.findMessage('C0REVIEW', ts);
    expect(stored).toMatchObject({ text: 'Approved', updates: 1, metadata });
    expect(JSON.stringify(stored?.blocks)).toContain('Approved by Ana');
  });

  it('leaves metadata out of history unless include_all_metadata is set', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    await client.chat.postMessage({ channel: 'C0REVIEW', text: 'hello', metadata });

    const history = await client.conversations.history({ channel: 'C0REVIEW' });

    expect(history.messages?.[0]).not.toHaveProperty('metadata');
  });

  it('shows top-level messages newest first in history and the thread oldest first in replies', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    const first = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'first' });
    const second = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'second' });
    const reply = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'reply', thread_ts: first.ts ?? '' });

    const history = await client.conversations.history({ channel: 'C0REVIEW' });
    const replies = await client.conversations.replies({ channel: 'C0REVIEW', ts: first.ts ?? '' });
    const link = await client.chat.getPermalink({ channel: 'C0REVIEW', message_ts: reply.ts ?? '' });

    expect(history.messages?.map((m) => m.text)).toEqual(['second', 'first']);
    expect(history.messages?.[1]).toMatchObject({ thread_ts: first.ts, reply_count: 1 });
    expect(replies.messages?.map((m) => m.text)).toEqual(['first', 'reply']);
    expect(link.permalink).toContain(`?thread_ts=${first.ts ?? ''}&cid=C0REVIEW`);
    expect(second.ts && first.ts && second.ts > first.ts).toBe(true);
  });

  it('pages a thread\'s replies within oldest, oldest first, and starts every page with the parent, as Slack does', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    const parent = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'card' });
    const replyTs: string[] = [];
    for (const text of ['r1', 'r2', 'r3', 'r4']) replyTs.push((await client.chat.postMessage({ channel: 'C0REVIEW', text, thread_ts: parent.ts ?? '' })).ts ?? '');

    // after r1 only, two at a time: the parent heads each page although it is older than `oldest`
    const first = await client.conversations.replies({ channel: 'C0REVIEW', ts: parent.ts ?? '', oldest: replyTs[0], limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['card', 'r2', 'r3']);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.replies({ channel: 'C0REVIEW', ts: parent.ts ?? '', oldest: replyTs[0], limit: 2, cursor: first.response_metadata?.next_cursor ?? '' });
    expect(second.messages?.map((m) => m.text)).toEqual(['card', 'r4']);
    expect(second.has_more).toBe(false);
  });

  it('keeps an app\'s legacy attachments, takes a post of attachments alone, and shows them in history', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    const attachments = [{ pretext: 'From the feed', text: 'We are live' }];
    const posted = await client.chat.postMessage({ channel: 'C0REVIEW', text: '', attachments });
    const history = await client.conversations.history({ channel: 'C0REVIEW' });
    expect(history.messages?.find((m) => m.ts === posted.ts)).toMatchObject({ text: '', attachments });
    await expect(client.chat.postMessage({ channel: 'C0REVIEW', text: '' })).rejects.toMatchObject({ data: { error: 'no_text' } });
  });

  it('gives every message a unique, increasing Slack-shaped ts', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);

    const posted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.chat.postMessage({ channel: 'C0LOAD', text: `m${i}` })),
    );

    const stamps = standIn.messages('C0LOAD').map((m) => m.ts);
    expect(new Set(posted.map((p) => p.ts)).size).toBe(20);
    expect([...stamps].sort()).toEqual(stamps);
    expect(stamps.every((ts) => /^\d{10}\.\d{6}$/.test(ts))).toBe(true);
  });

  it('posts to a user id in the DM that conversations.open returns for that user', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);

    const posted = await client.chat.postMessage({ channel: 'U0ANA', text: 'Please review' });
    const opened = await client.conversations.open({ users: 'U0ANA' });

    expect(posted.channel).toBe(standIn.dmChannelFor('U0ANA'));
    expect(opened.channel?.id).toBe(posted.channel);
    expect(posted.channel).toMatch(/^D/);
    expect(standIn.messages(posted.channel)).toHaveLength(1);
  });

  it('records ephemeral messages for the user they were shown to', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);

    const answer = await client.chat.postEphemeral({ channel: 'C0REVIEW', user: 'U0BOB', text: 'Not yours to decide' });

    expect(answer.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(standIn.ephemerals('U0BOB')).toEqual([
      expect.objectContaining({ channel: 'C0REVIEW', text: 'Not yours to decide', messageTs: answer.message_ts }),
    ]);
    expect(standIn.messages()).toHaveLength(0);
  });

  it.each([
    ['a missing channel', { missingChannels: ['C0GONE'] }, { channel: 'C0GONE', text: 'x' }, 'channel_not_found'],
    ['an archived channel', { archivedChannels: ['C0OLD'] }, { channel: 'C0OLD', text: 'x' }, 'is_archived'],
    ['a message with neither text nor blocks', {}, { channel: 'C0REVIEW' }, 'no_text'],
    ['text over 40,000 characters', {}, { channel: 'C0REVIEW', text: 'x'.repeat(40_001) }, 'msg_too_long'],
  ])('refuses %s the way Slack does', async (_what, options, args, error) => {
    const standIn = await startStandIn(options);

    const failure = await rejectionOf(clientFor(standIn).chat.postMessage(args as { channel: string; text: string }));

    expect(failure).toBeInstanceOf(WebAPIPlatformError);
    expect((failure as WebAPIPlatformError).data.error).toBe(error);
    expect(standIn.messages()).toHaveLength(0);
  });

  it('deletes a message as Slack does: gone, or a tombstone where replies hang under it', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    const lone = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'Lone' });
    const parent = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'Parent' });
    await client.chat.postMessage({ channel: 'C0REVIEW', text: 'Reply', thread_ts: parent.ts ?? '' });

    await client.chat.delete({ channel: 'C0REVIEW', ts: lone.ts ?? '' });
    await client.chat.delete({ channel: 'C0REVIEW', ts: parent.ts ?? '' });

    const history = await client.conversations.history({ channel: 'C0REVIEW' });
    expect(history.messages?.map((m) => [m.text, m.subtype])).toEqual([['This message was deleted.', 'tombstone']]);
    const again = await rejectionOf(client.chat.delete({ channel: 'C0REVIEW', ts: lone.ts ?? '' }));
    expect((again as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it('answers message_not_found when updating or linking a ts it never stored', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);

    const update = await rejectionOf(client.chat.update({ channel: 'C0REVIEW', ts: '1.000001', text: 'x' }));
    const link = await rejectionOf(client.chat.getPermalink({ channel: 'C0REVIEW', message_ts: '1.000001' }));

    expect((update as WebAPIPlatformError).data.error).toBe('message_not_found');
    expect((link as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it('refuses a section over 3000 characters with invalid_blocks and a readable reason', async () => {
    const standIn = await startStandIn();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];

    const failure = await rejectionOf(clientFor(standIn).chat.postMessage({ channel: 'C0REVIEW', text: 'x', blocks }));

    expect((failure as WebAPIPlatformError).data).toMatchObject({
      error: 'invalid_blocks',
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
    expect(standIn.messages()).toHaveLength(0);
  });

  it('refuses 51 blocks in a message, and the same limit applies to chat.update', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const posted = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'x', blocks: blocks.slice(0, 50) });

    const post = await rejectionOf(client.chat.postMessage({ channel: 'C0REVIEW', text: 'x', blocks }));
    const update = await rejectionOf(client.chat.update({ channel: 'C0REVIEW', ts: posted.ts ?? '', text: 'x', blocks }));

    for (const failure of [post, update]) {
      expect((failure as WebAPIPlatformError).data).toMatchObject({
        error: 'invalid_blocks',
        errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
      });
    }
    expect(standIn.findMessage('C0REVIEW', posted.ts ?? '')?.updates).toBe(0);
  });
});
