import { FIELD, SHORTCUT } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import { nextId, signed, TEAM } from '../helpers/slack-requests';

/** The "Flag moment" shortcut's form is prefilled with the person's words and the link Slack marked, not a link preview's. */

const SOURCE_CHANNEL = 'C0GENERAL';
const FORM = 'application/x-www-form-urlencoded';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function shortcutRequest(message: Record<string, unknown>): { body: string; headers: Record<string, string> } {
  const payload = {
    type: 'message_action',
    callback_id: SHORTCUT.flagMessage,
    trigger_id: nextId('trigger.'),
    action_ts: (Date.now() / 1000).toFixed(6),
    message_ts: message.ts,
    team: TEAM,
    user: { id: PEOPLE.flagger, username: 'flagger', name: 'flagger', team_id: TEAM.id },
    channel: { id: SOURCE_CHANNEL, name: 'general' },
    message: { type: 'message', user: PEOPLE.ana, ...message },
    response_url: h.standIn.responseUrl('shortcut'),
    token: 'legacy-verification-token',
    api_app_id: 'A0GREENLIGHT',
    is_enterprise_install: false,
    enterprise: null,
  };
  return signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
}

function initialValue(view: Record<string, unknown>, blockId: string): unknown {
  const blocks = view.blocks as { block_id?: string; element?: { initial_value?: unknown } }[];
  return blocks.find((b) => b.block_id === blockId)?.element?.initial_value;
}

async function openedForm(message: Record<string, unknown>): Promise<Record<string, unknown>> {
  await h.post(shortcutRequest(message));
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the flag form');
  const view = h.standIn.openedViews()[0]?.view;
  if (!view) throw new Error('no form');
  return view;
}

test("the form for a message whose link Slack unfurled is prefilled with the person's words and link, not the preview's", async () => {
  const view = await openedForm({
    ts: '1700000000.000200',
    text: 'Reply to this with our take? <https://news.example.com/story>',
    attachments: [
      {
        from_url: 'https://news.example.com/story',
        original_url: 'https://news.example.com/story',
        fallback: 'Example News: Rival brand apologises',
        title: 'Rival brand apologises after ad backlash',
        title_link: 'https://news.example.com/story',
        text: 'The company said on Tuesday it would pull the campaign after thousands of complaints from customers across the country.',
        service_name: 'Example News',
      },
    ],
  });
  expect(initialValue(view, FIELD.copy.block)).toContain('Reply to this with our take?');
  expect(initialValue(view, FIELD.link.block)).toBe('https://news.example.com/story');
});

test('the form for a message with a bold link is prefilled with the link Slack marked', async () => {
  const view = await openedForm({ ts: '1700000000.000300', text: 'New ad is live: *<https://example.com/ad>*' });
  expect(initialValue(view, FIELD.link.block)).toBe('https://example.com/ad');
});
