import type { types } from '@slack/bolt';
import type { MomentSummary } from '../../../src/store/moments';
import { buildHome } from '../../../src/slack/blocks/home';
import { T0 } from '../../core/fixtures';

function summary(id: number): MomentSummary {
  return {
    id,
    title: `Quarterly launch & teaser number ${id} for the spring campaign, with a long title ${'x'.repeat(60)}`,
    topic: 'launches',
    status: 'pending',
    dueAt: T0,
    card: { channel: 'C0REVIEW', ts: `1700000000.${String(id).padStart(6, '0')}`, permalink: `https://greenlight-sandbox.slack.com/archives/C0REVIEW/p${id}` },
  };
}

function sectionTexts(view: types.HomeView): string[] {
  return view.blocks.flatMap((block) => ('text' in block && block.type === 'section' && block.text ? [block.text.text] : []));
}

describe('buildHome', () => {
  test('a long waiting list keeps whole lines within the section limit: no link or entity is cut', () => {
    // given twenty waiting moments whose lines together pass 3,000 characters
    const waiting = Array.from({ length: 20 }, (_, i) => summary(i + 1));
    // when the home is built
    const [list] = sectionTexts(buildHome(waiting, []));
    // then the list fits, every line is whole (its link closed), and the rest is counted
    expect(list).toBeDefined();
    const text = list ?? '';
    expect(text.length).toBeLessThanOrEqual(3000);
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    expect(last).toMatch(/^… and \d+ more$/);
    for (const line of lines) expect(line).toMatch(/^• #\d+ <https:\/\/[^|<>]+\|[^<>]+> {2}\(launches, due <!date\^\d+\^[^>]+>\)$/);
    expect(lines.length + Number(/\d+/.exec(last)?.[0])).toBe(20);
  });
});
