import { checkBlocks, checkView, MESSAGE_BLOCK_LIMIT } from '../../src/sandbox/stand-in-blocks';

const check = (blocks: unknown[]): string[] => checkBlocks(blocks, MESSAGE_BLOCK_LIMIT);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (over: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'approve', text: plain('Approve'), ...over });

describe('Block Kit checks of the stand-in', () => {
  it('accepts a typical review card', () => {
    const cardBlocks = [
      { type: 'header', text: plain('Flagged moment') },
      { type: 'section', text: mrkdwn('> copy'), fields: [mrkdwn('*Topic*\ncrisis'), mrkdwn('*Due*\n<!date^1700000000^{time}|soon>')] },
      { type: 'context', elements: [mrkdwn('Flagged by <@U0ANA>')] },
      { type: 'divider' },
      {
        type: 'actions',
        block_id: 'decide',
        elements: [
          button({ style: 'primary', value: 'm1' }),
          button({
            action_id: 'reject',
            text: plain('Reject'),
            style: 'danger',
            confirm: { title: plain('Reject?'), text: mrkdwn('Sure?'), confirm: plain('Reject'), deny: plain('Cancel') },
          }),
        ],
      },
    ];

    expect(check(cardBlocks)).toEqual([]);
  });

  it.each([
    ['a section text of 3001 characters', [{ type: 'section', text: mrkdwn('x'.repeat(3001)) }], '/blocks/0/text/text'],
    ['11 section fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }], '/blocks/0/fields'],
    ['a section field of 2001 characters', [{ type: 'section', fields: [mrkdwn('x'.repeat(2001))] }], '/blocks/0/fields/0/text'],
    ['a header of 151 characters', [{ type: 'header', text: plain('x'.repeat(151)) }], '/blocks/0/text/text'],
    ['a mrkdwn header', [{ type: 'header', text: mrkdwn('*Moment*') }], '/blocks/0/text/type'],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }], '/blocks/0/elements'],
    ['a button text of 76 characters', [{ type: 'actions', elements: [button({ text: plain('x'.repeat(76)) })] }], '/blocks/0/elements/0/text/text'],
    ['a mrkdwn button text', [{ type: 'actions', elements: [button({ text: mrkdwn('*Go*') })] }], '/blocks/0/elements/0/text/type'],
    ['a button value of 2001 characters', [{ type: 'actions', elements: [button({ value: 'x'.repeat(2001) })] }], '/blocks/0/elements/0/value'],
    ['an action_id of 256 characters', [{ type: 'actions', elements: [button({ action_id: 'x'.repeat(256) })] }], '/blocks/0/elements/0/action_id'],
    [
      '26 actions elements',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }],
      '/blocks/0/elements',
    ],
    ['a block without a type', [{ text: mrkdwn('x') }], '/blocks/0'],
    ['an unknown block type', [{ type: 'sektion', text: mrkdwn('x') }], '/blocks/0/type'],
    ['an empty section text', [{ type: 'section', text: mrkdwn('') }], '/blocks/0/text/text'],
    ['two blocks with the same block_id', [{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }], '/blocks/1/block_id'],
    [
      'two buttons with the same action_id',
      [{ type: 'actions', elements: [button(), button()] }],
      '/blocks/0/elements/1/action_id',
    ],
  ])('refuses %s', (_what, blocks, pointer) => {
    const errors = check(blocks);

    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`[json-pointer:${pointer}]`);
  });

  it('refuses 51 blocks but accepts 50', () => {
    const divider = { type: 'divider' };

    expect(check(Array.from({ length: 50 }, () => divider))).toEqual([]);
    expect(check(Array.from({ length: 51 }, () => divider))).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
  });

  it('checks a modal: at most 100 blocks, a title of at most 24 characters, a submit button when it has inputs', () => {
    const input = { type: 'input', label: plain('Copy'), element: { type: 'plain_text_input', action_id: 'copy' } };
    const good = { type: 'modal', title: plain('Flag a moment'), submit: plain('Flag'), blocks: [input] };

    expect(checkView(good, ['modal'])).toEqual([]);
    expect(checkView({ ...good, blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }, ['modal'])).toEqual([
      'no more than 100 items allowed [json-pointer:/view/blocks]',
    ]);
    expect(checkView({ ...good, title: plain('x'.repeat(25)) }, ['modal'])[0]).toContain('/view/title/text');
    expect(checkView({ type: 'modal', title: plain('Flag'), blocks: [input] }, ['modal'])[0]).toContain('/view/submit');
    expect(checkView({ ...good, type: 'home' }, ['modal'])[0]).toContain('/view/type');
  });

  it('checks a text input: its lengths are whole numbers up to 3000, min no more than max, a prefill within max', () => {
    const field = (element: Record<string, unknown>) => ({
      type: 'modal',
      title: plain('Flag a moment'),
      submit: plain('Flag'),
      blocks: [{ type: 'input', label: plain('Title'), element: { type: 'plain_text_input', action_id: 'title', ...element } }],
    });
    const errors = (element: Record<string, unknown>) => checkView(field(element), ['modal']);

    expect(errors({ max_length: 150, min_length: 1, initial_value: 'x'.repeat(150) })).toEqual([]);
    expect(errors({ max_length: 150, initial_value: 'x'.repeat(151) })).toEqual(['must be less than 151 characters [json-pointer:/view/blocks/0/element/initial_value]']);
    expect(errors({ max_length: 3001 })).toEqual(['must be an integer from 1 to 3000 [json-pointer:/view/blocks/0/element/max_length]']);
    expect(errors({ max_length: 0 })[0]).toContain('/element/max_length');
    expect(errors({ min_length: 1.5 })[0]).toContain('/element/min_length');
    expect(errors({ min_length: 10, max_length: 5 })).toEqual(['must be less than or equal to max_length [json-pointer:/view/blocks/0/element/min_length]']);
  });
});
