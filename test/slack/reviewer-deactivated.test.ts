import { RECHECK_PEOPLE_MS } from '../../src/slack/directory';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/**
 * Months of running: people leave the company and Slack deactivates them. A reviewer listed in the routing file by user
 * ID or by email who is deactivated while Greenlight runs leaves their role within the hour (each is asked about again
 * every RECHECK_PEOPLE_MS), as one already deactivated at the start does: a flag that needs them is refused at once
 * ("Nobody can approve for legal") rather than accepted, waited on, and left to expire.
 */
const LAWYER = 'U0LAWYER';
const ROUTING = `
defaults:
  channel: ${REVIEW_CHANNEL}
  decide_within: 30m
  escalate_to: []
roles:
  brand: { members: [${PEOPLE.ana}, bea@example.com] }
  legal: { members: [${LAWYER}] }
topics:
  - name: legal
    keywords: [contract]
    require: { legal: 1 }
  - name: default
    require: { brand: 2 }
`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ routingYaml: ROUTING });
});
afterEach(async () => {
  await h.close();
});

const assignedTo = (momentId: number) => h.app.store.reviews.assignments(momentId).map((a) => a.userId);

test('a reviewer listed by user ID who is deactivated while Greenlight runs leaves their role at the next refresh', async () => {
  // given the only lawyer, an active person (the stand-in did not know them at the start: the refresh finds them)
  h.standIn.addUser({ id: LAWYER, name: 'lawyer' });
  await h.app.directory.refresh();
  // when they leave the company (Slack deactivates the account) and the regular refresh runs, an hour later
  h.standIn.addUser({ id: LAWYER, name: 'lawyer', deleted: true });
  h.advance(RECHECK_PEOPLE_MS);
  await h.app.directory.refresh();
  // then a legal flag is refused at once, as it is when the lawyer was already gone at the start
  const reply = await h.command(PEOPLE.flagger, 'Vendor contract: "We signed with Acme"');
  await h.settle();
  expect(h.app.store.moments.get(1) === undefined ? [] : assignedTo(1)).not.toContain(LAWYER);
  expect(JSON.parse(reply.text).text).toContain('Nobody can approve for "legal"');
});

test('a reviewer listed by email who is deactivated while Greenlight runs leaves their role at the next refresh', async () => {
  // given bea (brand, listed by email), looked up at the start
  // when she is deactivated (Slack's users.lookupByEmail then answers users_not_found) and the refresh runs, an hour later
  h.standIn.addUser({ id: PEOPLE.bea, name: 'bea', email: undefined, deleted: true });
  h.advance(RECHECK_PEOPLE_MS);
  await h.app.directory.refresh();
  // then she is not asked, and a flag needing two brand approvals (only ana is left) is refused at once
  const reply = await h.command(PEOPLE.flagger, 'Launch teaser: "Soon"');
  await h.settle();
  expect(h.app.store.moments.get(1) === undefined ? [] : assignedTo(1)).not.toContain(PEOPLE.bea);
  expect(JSON.parse(reply.text).text).not.toContain('Flagging');
});
