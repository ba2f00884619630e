import { plainForModal, plainFromSlack } from '../../src/slack/slack-text';

describe('plainFromSlack', () => {
  test('a message is read back as the person typed it: links, mentions, channels and entities', () => {
    expect(plainFromSlack('See <https://x.com/a?b=1&amp;c=2> &amp; ask <@U0ANA|ana> in <#C0GEN|general> &lt;3')).toBe(
      'See https://x.com/a?b=1&c=2 & ask @ana in #general <3',
    );
  });

  test('words linked to an address keep their words, with the address after them; a pasted address reads as itself', () => {
    expect(plainFromSlack('Big news: <https://brand.example/sale|50% off everything, today only> for members')).toBe(
      'Big news: 50% off everything, today only (https://brand.example/sale) for members',
    );
    expect(plainFromSlack('<https://brand.example/sale|https://brand.example/sale> <https://brand.example/a/very/long/path|brand.example/a/very/lo…>')).toBe(
      'https://brand.example/sale https://brand.example/a/very/long/path',
    );
    expect(plainFromSlack('<https://brand.example/|brand.example> and <http://x.com|x.com>')).toBe('https://brand.example/ and http://x.com');
    // a word that happens to start the address is still the person's word
    expect(plainFromSlack('Visit the <https://shop.example.com/drop|shop>')).toBe('Visit the shop (https://shop.example.com/drop)');
    expect(plainFromSlack('Write to <mailto:press@brand.example|press@brand.example> or <mailto:legal@brand.example|our lawyers>')).toBe(
      'Write to press@brand.example or our lawyers (legal@brand.example)',
    );
  });

  test('an entity left unclosed reads as it came, and the entities after it are still read', () => {
    // given Slack's codes with no closing ">" (Slack sends a typed "<" as &lt;, so this is no message a person wrote),
    // then a whole link and a mention
    const text = `${'<https://a.example/|'.repeat(3)} <https://b.example/|the deal> <@U0ANA|ana> <#C1|news`;
    // then the unclosed ones stay, and the whole ones read as typed
    expect(plainFromSlack(text)).toBe(`${'<https://a.example/|'.repeat(3)} the deal (https://b.example/) @ana <#C1|news`);
  });

  test('@channel, @here, @everyone and user groups read as typed, not as Slack\'s codes', () => {
    expect(plainFromSlack('We know the app is down <!channel>, <!here|here> and <!everyone>')).toBe('We know the app is down @channel, @here and @everyone');
    expect(plainFromSlack('Ping <!subteam^S0LEGAL|@legal-team> and <!subteam^S0COMMS>')).toBe('Ping @legal-team and @S0COMMS');
  });
});

describe('plainForModal', () => {
  test('a refusal shown as a modal field error (plain text) carries no raw mention, link or bold markers', () => {
    expect(plainForModal('Already rejected by <@U0BEA>. Nothing more to decide.')).toBe('Already rejected. Nothing more to decide.');
    expect(plainForModal('Ask <@U0ANA> on *the card*: <https://x.example/p1|Open the card>')).toBe('Ask someone on the card: Open the card');
    expect(plainForModal('A reason is required to reject a moment.')).toBe('A reason is required to reject a moment.');
  });
});
