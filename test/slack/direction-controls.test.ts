import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { flagFormValues } from '../helpers/flag-shortcut';
import { openForm } from '../helpers/forms';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/**
 * A title is one person's words set inside Greenlight's own sentences ("<title> was rejected by ana", a Home line
 * "• #1 <title> (default, ⏳ due …)"). A direction override typed into it (U+202E, RIGHT-TO-LEFT OVERRIDE) must end
 * with the title: left open, it runs to the end of the line and shows Greenlight's words after it backwards.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const OVERRIDES = /[\u202A-\u202E\u2066-\u2068]/;
const CLOSES = /[\u202C\u2069]/;

/** The lines of `text` where an override opened by the title is still open when Greenlight's own words follow it. */
function linesLeftOverridden(text: string, after: string): string[] {
  return text.split('\n').filter((line) => {
    const open = line.search(OVERRIDES);
    if (open === -1) return false;
    const rest = line.slice(open);
    const bot = rest.indexOf(after);
    if (bot === -1) return false;
    return !CLOSES.test(rest.slice(0, bot));
  });
}

test("a direction override in a title does not turn Greenlight's words after it around", async () => {
  const title = 'Spring promo \u202E';
  expect((await h.submitView(PEOPLE.flagger, VIEW.flag, flagFormValues(title, 'Fresh looks for spring'), JSON.stringify({ channel: 'C0GENERAL' }))).status).toBe(200);
  await h.settle();
  const form = await openForm(h, PEOPLE.ana, ACTION.reject, '1:1:0');
  await h.submitView(PEOPLE.ana, VIEW.reject, { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Off brand' } } }, String(form.view.private_metadata));
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.flagger, channel: 'DU0FLAG', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.flagger) !== undefined);

  // The flagger's DM: "❌ *Spring promo ‮* was rejected by <@U0ANA>."
  const dm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text).join('\n');
  expect(dm).toContain('was rejected by');
  expect(linesLeftOverridden(dm, 'was rejected by')).toEqual([]);
  // The flagger's Home: "• #1 *Spring promo ‮*  (default, ❌ rejected …)"
  const home = JSON.stringify(h.standIn.homeView(PEOPLE.flagger)).replace(/\\n/g, '\n');
  expect(home).toContain('(default');
  expect(linesLeftOverridden(home, '(default')).toEqual([]);
});
