import { openingWords, readFlaggedMessage, readQuickFlag } from '../../src/core/quick-flag';
import { isBlank } from '../../src/core/words';

describe('readQuickFlag', () => {
  test('"Title: copy" splits at the first colon, trimmed', () => {
    expect(readQuickFlag('  Oreo:  You can still dunk in the dark  ')).toEqual({
      title: 'Oreo',
      copy: 'You can still dunk in the dark',
      link: undefined,
      urgency: 'normal',
    });
  });

  test('a lone "Title:" (its #topic taken off) is a title without copy; a colon-free word stays both', () => {
    expect(readQuickFlag('Oreo:')).toEqual({ title: 'Oreo', copy: '', link: undefined, urgency: 'normal' });
    expect(readQuickFlag('Oreo')).toEqual({ title: 'Oreo', copy: 'Oreo', link: undefined, urgency: 'normal' });
    // a time is no title
    expect(readQuickFlag('Kick-off at 10:30').copy).toBe('Kick-off at 10:30');
  });

  test('the first http(s) link becomes the source link, and stays in the copy', () => {
    const content = readQuickFlag('Trend: everyone posts https://x.com/a?b=1&c=2 and http://y.org', 'high');
    expect(content).toEqual({ title: 'Trend', copy: 'everyone posts https://x.com/a?b=1&c=2 and http://y.org', link: 'https://x.com/a?b=1&c=2', urgency: 'high' });
  });

  test('a link at the end of a sentence does not take the full stop into the link', () => {
    expect(readQuickFlag('Trend: read https://example.com/post.').link).toBe('https://example.com/post');
  });

  test('a link keeps its own balanced brackets and drops an unbalanced closing one with the punctuation around it', () => {
    expect(readQuickFlag('Wiki: see https://en.wikipedia.org/wiki/Oreo_(cookie)').link).toBe('https://en.wikipedia.org/wiki/Oreo_(cookie)');
    expect(readQuickFlag('Wiki: (see https://en.wikipedia.org/wiki/Oreo_(cookie)).').link).toBe('https://en.wikipedia.org/wiki/Oreo_(cookie)');
    expect(readQuickFlag('Wiki: (see https://example.com/a!).').link).toBe('https://example.com/a');
  });

  test.each([
    ['bold, as typed', 'New ad is live: *https://example.com/ad*'],
    ['in code', 'New ad is live: `https://example.com/ad`'],
    ['struck through', 'Old ad: ~https://example.com/ad~'],
    ['in curly quotes', 'New ad is live: “https://example.com/ad”'],
    ['ending a Japanese sentence', '新しい広告: https://example.com/ad。'],
    ['in Japanese brackets', '新しい広告「https://example.com/ad」'],
    ['ending a Japanese sentence another follows (no space after 。)', '新作: 詳細はhttps://example.com/ad。明日発売！'],
    ['ending a Chinese clause more words follow', '新品: 详情见https://example.com/ad，明天上市'],
  ])('a link %s is read without the marks or punctuation around it', (_how, text) => {
    expect(readQuickFlag(text).link).toBe('https://example.com/ad');
  });

  test('the link Slack marked in the text, where given, is the source link: its end is known', () => {
    expect(readQuickFlag('New ad is live: https://example.com/ad*', 'normal', 'https://example.com/ad').link).toBe('https://example.com/ad');
  });

  test('a link followed by a message-long run of brackets or punctuation is read without them', () => {
    // given the longest message Slack holds: a link, then 40,000 ")" or "." and a letter (how long reading it takes is
    // measured by the bench: hostile text)
    const link = 'https://example.com/';
    // then the link is read without them, at once
    expect(readFlaggedMessage(`${link}${')'.repeat(40_000)}`).link).toBe(link);
    expect(readFlaggedMessage(`${link}${'.'.repeat(20_000)})${'.'.repeat(20_000)}`).link).toBe(link);
    expect(readFlaggedMessage(`${link}${'.'.repeat(40_000)}a`).link).toBe(`${link}${'.'.repeat(40_000)}a`);
  });

  test('a colon that belongs to a link does not split the title', () => {
    const content = readQuickFlag('Look at https://x.com/post now');
    expect(content).toEqual({ title: 'Look at https://x.com/post now', copy: 'Look at https://x.com/post now', link: 'https://x.com/post', urgency: 'normal' });
  });

  test('a colon after more than 80 characters or a leading colon keeps the whole text as copy', () => {
    const long = `${'word '.repeat(17)}: tail`;
    expect(readQuickFlag(long).copy).toBe(long.trim());
    expect(readQuickFlag(': no title').title).toBe(': no title');
  });

  test.each([
    ['a zero-width space', readQuickFlag('\u200b: Flash sale today, 20% off everything')],
    ['a Hangul filler', readQuickFlag('\u3164: Flash sale today, 20% off everything')],
    ['a flagged message whose first line is a zero-width space', readFlaggedMessage('\u200b\nFlash sale today, 20% off everything')],
  ])('a title of only %s is no title: the opening words that show are', (_kind, content) => {
    expect(isBlank(content.title)).toBe(false);
    expect(content.title).toContain('Flash sale today');
  });

  test('a colon not followed by a space (a time, a ratio) is no title: the copy keeps the whole text', () => {
    expect(readQuickFlag('Doors open at 10:30 tomorrow, come early')).toMatchObject({
      title: 'Doors open at 10:30 tomorrow, come early',
      copy: 'Doors open at 10:30 tomorrow, come early',
    });
    expect(readQuickFlag('Kickoff at 20:00: be ready')).toMatchObject({ title: 'Kickoff at 20:00: be ready', copy: 'Kickoff at 20:00: be ready' });
  });

  test('an emoji code is no title either: the copy keeps it', () => {
    expect(readQuickFlag(':rotating_light: We are recalling batch 42')).toMatchObject({ copy: ':rotating_light: We are recalling batch 42' });
    expect(readFlaggedMessage('Alert :fire: big news')).toMatchObject({ title: 'Alert :fire: big news' });
  });

  test('without a title, the title is the first line, and the copy the whole text', () => {
    expect(readQuickFlag('First line\nsecond line')).toMatchObject({ title: 'First line', copy: 'First line\nsecond line' });
  });
});

describe('readFlaggedMessage', () => {
  test('a flagged message is approved as written: a leading "Title:" names the moment and stays in the copy', () => {
    expect(readFlaggedMessage('Breaking: we are recalling batch 42 https://x.com/r')).toEqual({
      title: 'Breaking',
      copy: 'Breaking: we are recalling batch 42 https://x.com/r',
      link: 'https://x.com/r',
      urgency: 'normal',
    });
    expect(readFlaggedMessage('Doors open at 10:30')).toMatchObject({ title: 'Doors open at 10:30', copy: 'Doors open at 10:30' });
  });
});

describe('openingWords', () => {
  test('a title cut at a family emoji keeps it whole or leaves it out, never one of its people', () => {
    const text = `${'x'.repeat(58)}👨‍👩‍👧 and more words after it`;
    const title = openingWords(text, 60);
    expect(title).toBe(`${'x'.repeat(58)}…`);
  });

  test('a first line ending in spaces gives a title without them (it is shown in bold)', () => {
    expect(openingWords('Big game tonight  \nDunk it in the dark', 60)).toBe('Big game tonight');
  });

  test('a long first line is cut at a word boundary with an ellipsis', () => {
    const text = 'The quick brown fox jumps over the lazy dog and keeps running far away';
    expect(openingWords(text, 32)).toBe('The quick brown fox jumps over…');
  });

  test('a long first line without a late space is cut hard', () => {
    expect(openingWords('a'.repeat(50), 10)).toBe(`${'a'.repeat(10)}…`);
  });

  test('never cuts an emoji in half', () => {
    // given a first line of emoji with no space, where the cut falls inside a surrogate pair
    const text = `a${'😀'.repeat(40)}`;
    // when its opening words are taken at 60 UTF-16 units
    const title = openingWords(text, 60);
    // then the title ends on whole emoji (a lone surrogate would be stored as U+FFFD)
    expect(title).toBe(`a${'😀'.repeat(29)}…`);
  });

  test.each([
    ['*Flash sale*: 50% off today only', 'Flash sale'],
    ['_Tonight_ we dunk', '_Tonight_ we dunk'],
    ['```\nSALE 50% off tonight\n```', 'SALE 50% off tonight'],
    ['`launch`', 'launch'],
    ['***', '***'],
    ['*Flash* sale *now*', '*Flash* sale *now*'],
  ])('the title of %j is its words, without the formatting marks around them (%j)', (text, title) => {
    expect(readFlaggedMessage(text).title).toBe(title);
    expect(readQuickFlag(text).title).toBe(title);
  });

  test('a link the message marked is its source link, though its words run on after it with no space', () => {
    expect(readFlaggedMessage('広告はhttps://example.com/adをご覧ください', 'https://example.com/ad').link).toBe('https://example.com/ad');
  });

  test('a quick flag\'s lone "Title:" (its copy forgotten) loses its marks as "Title: copy" does', () => {
    expect(readQuickFlag('*Flash sale*:').title).toBe('Flash sale');
  });
});
