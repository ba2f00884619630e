import { filesLine } from '../../src/slack/blocks/moment-parts';
import { FILES_KEPT, filesOf } from '../../src/slack/message-files';

describe('filesOf', () => {
  test("a message's files are read with their title (else their name) and their kind from the mimetype", () => {
    const message = {
      files: [
        { id: 'F1', name: 'dunk.png', title: 'Dunk in the dark', mimetype: 'image/png' },
        { id: 'F2', name: 'teaser.mp4', mimetype: 'video/mp4' },
        { id: 'F3', name: 'jingle.m4a', title: ' ', mimetype: 'audio/mp4' },
        { id: 'F4', name: 'brief.pdf', title: 'brief.pdf', mimetype: 'application/pdf' },
        { id: 'F5' },
      ],
    };
    expect(filesOf(message)).toEqual([
      { name: 'Dunk in the dark', kind: 'image' },
      { name: 'teaser.mp4', kind: 'video' },
      { name: 'jingle.m4a', kind: 'audio' },
      { name: 'brief.pdf', kind: 'file' },
      { name: '', kind: 'file' },
    ]);
  });

  test('a file deleted since, or hidden by the workspace plan, is nothing to see and is left out', () => {
    expect(filesOf({ files: [{ id: 'F1', mode: 'tombstone' }, { id: 'F2', mode: 'hidden_by_limit' }, { id: 'F3', name: 'a.png', mimetype: 'image/png', mode: 'hosted' }] })).toEqual([
      { name: 'a.png', kind: 'image' },
    ]);
  });

  test("an app's post shows its image in an image block or an attachment; a link's preview is not one", () => {
    const post = {
      text: 'New scheduled post',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Tonight only' } },
        { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'Dunk in the dark' },
        { type: 'image', image_url: 'https://example.com/b.png', alt_text: 'b', title: { type: 'plain_text', text: 'Lights off' } },
      ],
      attachments: [
        { fallback: 'Poster', image_url: 'https://example.com/poster.png' },
        { title: 'Example', from_url: 'https://example.com', image_url: 'https://example.com/og.png' },
      ],
    };
    expect(filesOf(post)).toEqual([
      { name: 'Dunk in the dark', kind: 'image' },
      { name: 'Lights off', kind: 'image' },
      { name: 'Poster', kind: 'image' },
    ]);
  });

  test('a message without files, or with something else under that name, has none; a long list is kept to its first few', () => {
    expect(filesOf({ text: 'hi' })).toEqual([]);
    expect(filesOf({ files: 'F1' })).toEqual([]);
    expect(filesOf({ files: Array.from({ length: 40 }, (_, i) => ({ name: `p${i}.png`, mimetype: 'image/png' })) })).toHaveLength(FILES_KEPT);
  });
});

describe('filesLine', () => {
  test('counts each kind and names the first three, escaped, so a file named like a mention pings nobody', () => {
    expect(filesLine([{ name: 'dunk.png', kind: 'image' }])).toBe('📎 1 image (dunk.png): open the message to see it');
    const many = [
      { name: '<!channel>.png', kind: 'image' },
      { name: 'b.png', kind: 'image' },
      { name: 'c.mp4', kind: 'video' },
      { name: 'd.pdf', kind: 'file' },
      { name: 'e.pdf', kind: 'file' },
    ] as const;
    expect(filesLine(many)).toBe('📎 2 images, 1 video and 2 files (&lt;!channel&gt;.png, b.png, c.mp4, +2 more): open the message to see them');
  });

  test("a name's own asterisks cannot turn the line bold, and a file Slack gives no name for is counted only", () => {
    expect(filesLine([{ name: '5* deal *final*.png', kind: 'image' }])).toBe('📎 1 image (5∗ deal ∗final∗.png): open the message to see it');
    expect(filesLine([{ name: '', kind: 'file' }])).toBe('📎 1 file: open the message to see it');
  });

  test('in a direct message, which its reviewers cannot open, they are told to ask the flagger for it', () => {
    expect(filesLine([{ name: 'dunk.png', kind: 'image' }], false)).toBe('📎 1 image (dunk.png): in a direct message its reviewers cannot open: ask the flagger to share it');
  });
});
