import { flagConfirmation } from '../../src/delivery/flag-confirmation';
import { flagged } from '../core/fixtures';

test("a flag's confirmation says where the flagger can withdraw it, and with no card the Home is the only place", () => {
  expect(flagConfirmation(flagged(), true, 'https://x.slack.com/archives/C0REVIEW/p1', undefined)).toContain("To withdraw it, use the card or Greenlight's Home tab.");
  expect(flagConfirmation(flagged(), false, undefined, 'channel_not_found')).toMatch(/To withdraw it, use Greenlight's Home tab\.$/);
});
