import { hasBrokenCharacters } from './block-checks';
import { boldTitle, cutPlain, dateToken, escapeAndCut, escapeText, fitLines, linkBareUrls, quote, quoteAndCut, safeLink } from '../../../src/slack/blocks/mrkdwn';

describe('escapeText', () => {
  test('Slack control characters become entities, so mentions and fake links typed by a user are inert', () => {
    expect(escapeText('<!channel> <@U123> <https://evil|click> Salt & Pepper')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|click&gt; Salt &amp; Pepper',
    );
  });

  test('an entity typed by a user is escaped again, not passed through', () => {
    expect(escapeText('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });
});

describe('boldTitle', () => {
  test("a title's own asterisks cannot end the bold early: they become look-alikes", () => {
    expect(boldTitle('2*3 deals *today*', 200)).toBe('*2∗3 deals ∗today∗*');
  });

  test('a title with spaces at either end is trimmed, or Slack would show the asterisks instead of bold', () => {
    expect(boldTitle(' Big game tonight ', 200)).toBe('*Big game tonight*');
  });

  test('a title over two lines is shown on one, so the bold holds', () => {
    expect(boldTitle('Big\nnews\r\ntoday', 200)).toBe('*Big news today*');
  });

  test("loses the characters that would turn Greenlight's words after it around, and keeps the marks that only hint a direction", () => {
    expect(boldTitle('Spring promo \u202E', 200)).toBe('*Spring promo*');
    expect(boldTitle('\u2067مرحبا\u2069 \u202Dsale\u202C \u202Aa\u202B\u202E', 200)).toBe('*مرحبا sale a*');
    expect(boldTitle('\u200Fمرحبا\u200E', 200)).toBe('*\u200Fمرحبا\u200E*');
  });

  test('is escaped and cut like any user text', () => {
    expect(boldTitle('<!here> & co', 200)).toBe('*&lt;!here&gt; &amp; co*');
    expect(boldTitle('abcdef', 4)).toBe('*abc…*');
  });
});

describe('escapeAndCut', () => {
  test('text that fits after escaping is returned escaped and whole', () => {
    expect(escapeAndCut('a & b', 9)).toBe('a &amp; b');
  });

  test('text that does not fit is cut with an ellipsis, the result within max', () => {
    const out = escapeAndCut('abcdefghij', 5);
    expect(out).toBe('abcd…');
  });

  test('a cut never splits an entity: the entity is dropped whole', () => {
    // given "ab<cd": escaped "ab&lt;cd" (8 chars); when cut to 6
    const out = escapeAndCut('ab<cd', 6);
    // then the cut falls before the entity, not inside it
    expect(out).toBe('ab…');
  });

  test('a cut never splits a surrogate pair', () => {
    // given five emoji (two UTF-16 units each); when cut to 6 units
    const out = escapeAndCut('😀😀😀😀😀', 6);
    // then two whole emoji and the ellipsis (5 units)
    expect(out).toBe('😀😀…');
    expect(out.length).toBeLessThanOrEqual(6);
  });
});

describe('cuts never leave an emoji in pieces', () => {
  const FAMILY = '👨‍👩‍👧'; // three people joined by zero-width joiners: 8 UTF-16 units
  const FLAG = '🇫🇷'; // two regional letters: 4 units
  const THUMB = '👍🏽'; // a hand and its skin tone: 4 units

  test.each([
    ['a family', `Go ${FAMILY} team`, 6],
    ['a flag', `Vive la ${FLAG} France`, 11],
    ['a skin tone', `Nice ${THUMB} work`, 7],
  ])('%s at the cut goes whole or not at all, in escaped and plain text', (_what, text, max) => {
    for (const out of [escapeAndCut(text, max), cutPlain(text, max)]) {
      expect(out.length).toBeLessThanOrEqual(max);
      const kept = out.replace(/…$/, '');
      // what is kept is a prefix of the text that ends between two graphemes
      expect(text.startsWith(kept)).toBe(true);
      const graphemes = Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
      let joined = '';
      const prefixes = new Set(['']);
      for (const g of graphemes) prefixes.add((joined += g));
      expect(prefixes.has(kept)).toBe(true);
    }
  });
});

describe('cutPlain', () => {
  test('plain text within the limit is unchanged; longer text is cut to the limit with an ellipsis', () => {
    expect(cutPlain('abc', 3)).toBe('abc');
    expect(cutPlain('abcdef', 4)).toBe('abc…');
  });

  test('plain text of emoji is cut to at most max UTF-16 units, like escapeAndCut', () => {
    const out = cutPlain('😀'.repeat(200), 150);
    expect(out.length).toBeLessThanOrEqual(150);
  });
});

describe('quote', () => {
  test('every line gets the quote marker, empty lines included', () => {
    expect(quote('one\n\nthree')).toBe('> one\n> \n> three');
  });
});

describe('dateToken', () => {
  test('a time no date can hold reads as words instead of failing the whole message', () => {
    // given a due time 2.4 billion hours on (a decide_within stored before it was capped)
    expect(dateToken(Date.UTC(2026, 0, 1) + 2_400_000_000 * 3_600_000)).toBe('a date too far off to show');
  });

  test('a date token carries whole seconds, the format and an ISO fallback', () => {
    expect(dateToken(Date.UTC(2024, 4, 1, 9, 30, 15, 999))).toBe('<!date^1714555815^{date_short_pretty} at {time}|2024-05-01T09:30:15Z>');
    expect(dateToken(0, '{time}')).toBe('<!date^0^{time}|1970-01-01T00:00:00Z>');
  });
});

describe('linkBareUrls', () => {
  test.each([
    ['Use this photo instead: https://drive.example.com/asset/42', 'Use this photo instead: <https://drive.example.com/asset/42>'],
    ['See https://a.example/x?a=1&amp;b=2.', 'See <https://a.example/x?a=1&amp;b=2>.'],
    ['(https://a.example/brief), then http://b.example!', '(<https://a.example/brief>), then <http://b.example>!'],
    ['https://a.example/cut…', '<https://a.example/cut>…'],
  ])('"%s" reads "%s"', (escaped, linked) => {
    expect(linkBareUrls(escaped)).toBe(linked);
  });

  test.each([
    // no scheme but http(s), nothing inside a word, no bare scheme
    ['javascript:alert(1) ftp://a.example mailto:x@a.example'],
    ['xhttps://a.example'],
    ['https:// then nothing'],
    // escaped angle brackets end no link early into a mention: the link holds them as text
  ])('"%s" is left as it is', (escaped) => {
    expect(linkBareUrls(escaped)).toBe(escaped);
  });

  test('a URL hiding a mention or a label stays inert: the text was escaped first, and | ends the link', () => {
    const escaped = escapeText('https://a.example/<!channel>|click <@U1> https://b.example|label');
    const linked = linkBareUrls(escaped);
    expect(linked).toBe('<https://a.example/&lt;!channel>&gt;|click &lt;@U1&gt; <https://b.example>|label');
    expect(linked).not.toMatch(/<!|<@|\|click>|\|label>/);
  });

  test('a URL ending in "&" keeps its whole entity inside the link', () => {
    const linked = linkBareUrls(escapeText('Use https://a.example/ad?ref=1&'));
    expect(hasBrokenCharacters(linked)).toBe(false);
    expect(linked).toBe('Use <https://a.example/ad?ref=1&amp;>');
  });

  test.each([
    ['Use “https://a.example/ad” instead', 'Use “<https://a.example/ad>” instead'],
    ['Use ‘https://a.example/ad’', 'Use ‘<https://a.example/ad>’'],
    ['see `https://a.example/ad`', 'see `<https://a.example/ad>`'],
    ['こちら https://a.example/ad。', 'こちら <https://a.example/ad>。'],
    ['（https://a.example/ad）', '（<https://a.example/ad>）'],
    ['https://en.wikipedia.org/wiki/Foo_(bar)', '<https://en.wikipedia.org/wiki/Foo_(bar)>'],
    ['(see https://en.wikipedia.org/wiki/Foo_(bar))', '(see <https://en.wikipedia.org/wiki/Foo_(bar)>)'],
    // CJK punctuation and curly quotes inside a sentence end it too: CJK writing puts no space after them
    ['修正版はこちら：https://a.example/ad。ご確認ください', '修正版はこちら：<https://a.example/ad>。ご確認ください'],
    ['（https://a.example/ad）をご覧ください', '（<https://a.example/ad>）をご覧ください'],
    ['「https://a.example/ad」の画像を差し替えてください', '「<https://a.example/ad>」の画像を差し替えてください'],
    ['请看https://a.example/ad，谢谢', '请看<https://a.example/ad>，谢谢'],
    ['请看“https://a.example/ad”然后确认', '请看“<https://a.example/ad>”然后确认'],
  ])('"%s": the punctuation closing around it stays out of the address', (typed, linked) => {
    expect(linkBareUrls(escapeText(typed))).toBe(linked);
  });

  test('a reason quoted with its links still fits its limit, however many links it holds', () => {
    const reason = Array.from({ length: 300 }, (_, i) => `https://a.example/${i}`).join(' ');
    const quoted = quoteAndCut(reason, 2500, true);
    expect(quoted.length).toBeLessThanOrEqual(2500);
    expect(quoted).toMatch(/^> <https:\/\/a\.example\/0> <https:\/\/a\.example\/1> /);
    expect(quoteAndCut(reason, 2500)).not.toContain('<https');
  });
});

describe('safeLink', () => {
  test('an http(s) link is linked with its & escaped', () => {
    expect(safeLink('https://example.com/a?b=1&c=2')).toBe('<https://example.com/a?b=1&amp;c=2>');
  });

  test.each([[undefined], ['javascript:alert(1)'], ['https://evil|click'], ['https://a.com/<!channel>'], ['https://a.com/x y'], ['ftp://a.com'], ['']])(
    'a link %j that could break out of the token or is not http(s) is not rendered',
    (url) => {
      expect(safeLink(url)).toBeUndefined();
    },
  );
});

describe('fitLines', () => {
  test('lines that fit are joined whole under the head', () => {
    expect(fitLines(['one', 'two'], 100, '*Needs*')).toBe('*Needs*\none\ntwo');
    expect(fitLines(['one', 'two'], 100)).toBe('one\ntwo');
  });

  test('past the limit whole lines are dropped and counted, within the limit', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `• line ${i} <https://example.com/${i}|a &amp; b>`);
    const text = fitLines(lines, 300);
    expect(text.length).toBeLessThanOrEqual(300);
    const kept = text.split('\n');
    expect(kept.slice(0, -1).every((line) => lines.includes(line))).toBe(true);
    expect(kept.at(-1)).toBe(`… and ${lines.length - kept.length + 1} more`);
  });
});
