import type { WebClient } from '@slack/web-api';
import type { DeliveryDeps } from '../../src/delivery/delivery-deps';
import { NOTICE_EVENT_TYPE, postOnce } from '../../src/delivery/post-once';
import type { OutboxRow } from '../../src/store/outbox';
import { T0 } from '../core/fixtures';

/** A channel holding one message Greenlight posted with `payload` as its metadata; records any new post. */
function channelWith(payload: Record<string, unknown>) {
  const posted: unknown[] = [];
  const client = {
    conversations: {
      history: async () => ({ ok: true, messages: [{ ts: '1700000000.000001', metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: payload } }] }),
    },
    chat: {
      postMessage: async (args: unknown) => {
        posted.push(args);
        return { ok: true, channel: 'C0REVIEW', ts: '1700000000.000002' };
      },
    },
  } as unknown as WebClient;
  const deps = { client, clock: () => T0 } as unknown as DeliveryDeps;
  return { deps, posted };
}

const row = (mark: string | undefined): OutboxRow => ({
  id: 7,
  momentId: 1,
  lane: 'card',
  notice: { kind: 'post_card' },
  attempts: 1,
  firstAttemptAt: T0 - 1000,
  uncertain: true,
  createdAt: T0 - 1000,
  ...(mark === undefined ? {} : { mark }),
});

test.each([
  ['a row queued before marks, and its post carrying the id alone (both by an earlier version)', 'found', undefined, { outbox_id: 7 }],
  ['a row and its post carrying the same id and mark', 'found', 'aaaa0001', { outbox_id: 7, mark: 'aaaa0001' }],
  ['a row marked by this process, and a message carrying its id alone (posted before a restore)', 'posted', 'aaaa0001', { outbox_id: 7 }],
  ['a row marked by this process, and a message carrying its id and another mark (posted before a restore)', 'posted', 'aaaa0001', { outbox_id: 7, mark: 'bbbb0002' }],
])('after a lost answer, %s: the message is %s', async (_case, expected, mark, payload) => {
  const { deps, posted } = channelWith(payload);
  const result = await postOnce(row(mark), deps, 'C0REVIEW', undefined, { text: 'card' });
  expect(posted.length === 0 ? 'found' : 'posted').toBe(expected);
  expect(result.ts).toBe(expected === 'found' ? '1700000000.000001' : '1700000000.000002');
});
