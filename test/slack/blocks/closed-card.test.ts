import { buildCard } from '../../../src/slack/blocks/card';
import { act, actor, approve, CRISIS, flagged, PEOPLE, T0 } from '../../core/fixtures';

function reviewersText(view: Parameters<typeof buildCard>[0]): string {
  return JSON.stringify(buildCard(view).blocks[3]);
}

test('a rejected card marks the rejecter with ❌ and waits for nobody any more', () => {
  // given a crisis moment comms approved, then legal rejected
  const view = act(approve(flagged(CRISIS), PEOPLE.cal, T0), { kind: 'reject', actor: actor(PEOPLE.leo), reason: 'Not cleared' }, T0 + 1);
  const text = reviewersText(view);
  expect(text).toContain(`<@${PEOPLE.cal}> ✅`);
  expect(text).toContain(`<@${PEOPLE.leo}> ❌`);
  expect(text).not.toContain('⏳');
});

test('an open card shows who is still waited for', () => {
  const text = reviewersText(approve(flagged(CRISIS), PEOPLE.cal, T0));
  expect(text).toContain(`<@${PEOPLE.cal}> ✅`);
  expect(text).toContain(`<@${PEOPLE.leo}> ⏳`);
});
