import { wordsOf } from '../../src/slack/message-words';

describe('wordsOf', () => {
  const section = (...elements: unknown[]) => ({ type: 'rich_text_section', elements });
  /** A scheduling app's message: its notification as text, the post itself in rich text made of `parts`. */
  const appMessage = (...parts: unknown[]) => ({ bot_id: 'B0SCHEDULER', text: 'New scheduled post', blocks: [{ type: 'rich_text', elements: parts }] });
  test("a person's message says it in its text; its rich text blocks are not read again", () => {
    const message = { text: 'Dunk in the dark &amp; more', blocks: [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'Dunk in the dark & more, and then some' }] }] }] };
    expect(wordsOf(message)).toBe('Dunk in the dark &amp; more');
  });

  test("an app's message whose text is only a notification is read from its blocks, in Slack's text form", () => {
    const message = {
      text: 'New scheduled post',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Tonight <only> & live' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Dunk in the dark, lights off at 9pm &amp; <https://x.example|watch>' }, fields: [{ type: 'mrkdwn', text: '*When:* 9pm' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Posted by' }, { type: 'image', image_url: 'https://x.example/a.png', alt_text: 'a' }, { type: 'plain_text', text: 'the scheduler' }] },
        { type: 'divider' },
      ],
    };
    expect(wordsOf(message)).toBe(
      ['Tonight &lt;only&gt; &amp; live', 'Dunk in the dark, lights off at 9pm &amp; <https://x.example|watch>', '*When:* 9pm', 'Posted by the scheduler'].join('\n'),
    );
  });

  test("an app's message whose post is rich text, beside a notification, is read from its rich text in Slack's text form", () => {
    const message = appMessage(
      section(
        { type: 'text', text: 'Dunk in the dark <tonight> & ' },
        { type: 'link', url: 'https://x.example/watch', text: 'watch' },
        { type: 'text', text: ' with ' },
        { type: 'user', user_id: 'U0ANA' },
        { type: 'text', text: ' ' },
        { type: 'emoji', name: 'basketball' },
      ),
      { type: 'rich_text_list', elements: [section({ type: 'text', text: 'lights off' }), section({ type: 'link', url: 'https://y.example' })] },
      { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted\nline' }] },
    );
    expect(wordsOf(message)).toBe(
      ['Dunk in the dark &lt;tonight&gt; &amp; <https://x.example/watch|watch> with <@U0ANA> :basketball:', '• lights off\n• <https://y.example>', '> quoted\n> line'].join('\n'),
    );
  });

  test("an app's numbered list keeps its numbers, and its styled words their marks, as a person's text carries them", () => {
    const message = appMessage(
      section(
        { type: 'text', text: 'Tip-off at 8: ' },
        { type: 'text', text: 'free tickets', style: { bold: true } },
        { type: 'text', text: ', ' },
        { type: 'text', text: 'all week', style: { italic: true } },
        { type: 'text', text: ', ' },
        { type: 'text', text: 'no refunds', style: { strike: true } },
        { type: 'text', text: ' with ' },
        { type: 'text', text: 'CODE8', style: { code: true } },
      ),
      { type: 'rich_text_list', style: 'ordered', elements: [section({ type: 'text', text: 'the final' }), section({ type: 'text', text: 'the lights' })] },
      { type: 'rich_text_list', style: 'ordered', offset: 2, elements: [section({ type: 'text', text: 'the fans' })] },
    );
    expect(wordsOf(message)).toBe('Tip-off at 8: *free tickets*, _all week_, ~no refunds~ with `CODE8`\n1. the final\n2. the lights\n3. the fans');
  });

  test("a styled run's spaces go outside its marks, where Slack reads them as marks", () => {
    const message = appMessage(
      section(
        { type: 'text', text: 'Free tickets ', style: { bold: true } },
        { type: 'text', text: 'tonight' },
        { type: 'text', text: ' at the arena', style: { italic: true } },
        { type: 'text', text: ' ', style: { bold: true } },
      ),
    );
    expect(wordsOf(message)).toBe('*Free tickets* tonight _at the arena_ ');
  });

  test('legacy attachments are read too: lead-in, title, text and fields', () => {
    const message = { text: '', attachments: [{ pretext: 'From the feed', title: 'Big news', text: 'We are live', fields: [{ title: 'Region', value: 'EU' }, { value: 'no title' }] }] };
    expect(wordsOf(message)).toBe('From the feed\nBig news\nWe are live\nRegion: EU\nno title');
  });

  test.each([
    ['from_url', { from_url: 'https://news.example.com/story' }],
    ['original_url', { original_url: 'https://news.example.com/story' }],
    ['is_app_unfurl', { is_app_unfurl: true }],
  ])("a link's preview (it names the link: %s) is not the message: its words are the linked page's", (_case, names) => {
    const preview = {
      ...names,
      title: 'Rival brand apologises after ad backlash',
      text: 'The company said on Tuesday it would pull the campaign after thousands of complaints from customers across the country.',
      service_name: 'Example News',
    };
    const message = { text: 'Reply to this with our take? <https://news.example.com/story>', attachments: [preview] };
    expect(wordsOf(message)).toBe('Reply to this with our take? <https://news.example.com/story>');
  });

  test('a message forwarded with "Share message" is read: Slack attaches the shared post, naming its link, and it is the words', () => {
    const shared = {
      from_url: 'https://acme.slack.com/archives/C0SOCIAL/p1665615886364019',
      ts: '1665615886.364019',
      author_id: 'U0BEA',
      channel_id: 'C0SOCIAL',
      is_msg_unfurl: true,
      is_share: true,
      fallback: '[October 12th, 2022 4:04 PM] bea: Flash sale tonight: 50% off everything',
      text: 'Flash sale tonight: 50% off everything',
      author_name: 'bea',
    };
    expect(wordsOf({ type: 'message', text: '', attachments: [shared] })).toBe('Flash sale tonight: 50% off everything');
  });

  test('a message with no words at all (no text field, an image) reads as empty; anything not a message too', () => {
    expect(wordsOf({ files: [{ id: 'F1' }] })).toBe('');
    expect(wordsOf({ blocks: [{ type: 'image', image_url: 'https://x.example/a.png', alt_text: 'a' }] })).toBe('');
    expect(wordsOf(undefined)).toBe('');
    expect(wordsOf({ text: 42, blocks: 'nope', attachments: [null] })).toBe('');
  });
});
