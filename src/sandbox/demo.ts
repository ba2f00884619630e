/**
 * `npm run demo`: the real Greenlight app (HTTP receiver, signed requests) against the local
 * Slack stand-in, on a throwaway database. Prints what each person would see in Slack.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { parseRouting, formatRoutingError } from '../config';
import { startGreenlight } from '../greenlight';
import { createLogger } from '../log/logger';
import { ACTION, FIELD, VIEW } from '../slack/ids';
import {
  blockActionBody,
  BOT_TOKEN,
  signed,
  SIGNING_SECRET,
  slashCommandBody,
  viewSubmissionBody,
} from './slack-requests';
import { sandboxConfig } from './sandbox-config';
import { startSlackStandIn } from './slack-stand-in';
import { describeCall, describeResponse, nthTopLevel } from './transcript';

const PEOPLE = { maya: 'U0MAYA', ana: 'U0ANA', leo: 'U0LEO', cal: 'U0CAL', lee: 'U0LEAD', sam: 'U0SAM' } as const;
const ROUTING = `
defaults:
  channel: C0REVIEW
  decide_within: 30m
  escalate_to: [leads]
roles:
  brand: { members: [U0ANA] }
  legal: { usergroup: S0LEGAL }
  comms: { members: [U0CAL] }
  leads: { members: [U0LEAD] }
topics:
  - name: crisis
    keywords: [outage, recall, complaint]
    channel: C0CRISIS
    require: { comms: 1, legal: 1 }
    decide_within: 10m
  - name: sports
    require: { brand: 1 }
  - name: default
    require: { brand: 1 }
`;

async function main(): Promise<void> {
  const names: Record<string, string> = {
    U0MAYA: 'maya', U0ANA: 'ana', U0LEO: 'leo', U0CAL: 'cal', U0LEAD: 'lee', U0SAM: 'sam',
    C0REVIEW: '#brand-review', C0CRISIS: '#crisis-room', C0SOCIAL: '#social',
    DU0MAYA: 'DM maya', DU0ANA: 'DM ana', DU0LEO: 'DM leo', DU0CAL: 'DM cal', DU0LEAD: 'DM lee', DU0SAM: 'DM sam',
  };
  const standIn = await startSlackStandIn({
    token: BOT_TOKEN,
    users: Object.entries(PEOPLE).map(([name, id]) => ({ id, name, email: `${name}@example.com` })),
    usergroups: { S0LEGAL: [PEOPLE.leo] },
  });
  const routing = parseRouting(ROUTING, 'demo-routing.yml');
  if (!routing.ok) throw new Error(routing.errors.map(formatRoutingError).join('\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-demo-'));
  const app = await startGreenlight({
    config: sandboxConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db'), databaseSynchronous: 'FULL', routingFile: 'demo-routing.yml' }),
    routing: routing.routing,
    logger: createLogger({ level: LogLevel.WARN, secrets: [BOT_TOKEN, SIGNING_SECRET], write: (line) => process.stderr.write(`${line}\n`) }),
    host: '127.0.0.1',
    startScanner: false,
    worker: { postGapMs: 0 },
  });
  const url = `http://127.0.0.1:${app.port}/slack/events`;
  const form = 'application/x-www-form-urlencoded';
  let seen = 0;
  let seenResponses = 0;
  const send = async (body: string) => {
    const response = await fetch(url, { method: 'POST', ...signed(body, form) });
    const text = await response.text();
    return { status: response.status, text };
  };
  const show = async (heading: string) => {
    await app.worker.settled();
    console.log(`\n━━ ${heading}`);
    for (const call of standIn.calls.slice(seen)) {
      const line = describeCall(call, names, (channel, ts) => nthTopLevel(standIn.messages(channel), ts));
      if (line) console.log(line);
    }
    seen = standIn.calls.length;
    const responses = standIn.responses();
    for (const post of responses.slice(seenResponses)) console.log(describeResponse(post, names[post.key.replace(/^cmd-/, '')] ?? post.key, names));
    seenResponses = responses.length;
  };
  const ackText = (who: string, text: string) => {
    if (text.trim() === '') return;
    const parsed: unknown = JSON.parse(text);
    const shown = typeof parsed === 'object' && parsed !== null && 'text' in parsed ? String(parsed.text) : text;
    console.log(`← Slack shows ${who}: ${shown}`);
  };

  console.log('Greenlight demo: the real app on a local Slack stand-in. Nothing here reaches Slack.');
  console.log(`Review channels: #brand-review (brand: ana), #crisis-room (comms: cal, legal: leo via a user group).`);

  console.log('\n▶ maya types: /moment Oreo: "You can still dunk in the dark" #sports');
  ackText('maya', (await send(slashCommandBody(PEOPLE.maya, 'Oreo: "You can still dunk in the dark" #sports', { channel: 'C0SOCIAL', responseUrl: standIn.responseUrl('cmd-U0MAYA') }))).text);
  await show('Greenlight posts the card, DMs the reviewer, confirms to maya');

  console.log('\n▶ sam (not a reviewer) taps Approve');
  await send(blockActionBody(PEOPLE.sam, ACTION.approve, '1:1', { responseUrl: standIn.responseUrl('cmd-U0SAM') }));
  await show('Nothing is recorded; sam is told');

  console.log('\n▶ ana taps Approve in her DM (on her phone)');
  await send(blockActionBody(PEOPLE.ana, ACTION.approve, '1:1', { channel: 'DU0ANA', responseUrl: standIn.responseUrl('cmd-U0ANA') }));
  await show('Moment #1 approved: card updated in place, thread note, maya told, DMs lose their buttons');

  console.log('\n▶ maya types: /moment Outage reply: "We know the app is down @channel, fix coming"');
  ackText('maya', (await send(slashCommandBody(PEOPLE.maya, 'Outage reply: "We know the app is down <!channel>, fix coming"', { channel: 'C0SOCIAL', responseUrl: standIn.responseUrl('cmd-U0MAYA') }))).text);
  await show('Keyword "outage" routes it to the crisis room (comms + legal); the @channel in it (sent by Slack as <!channel>) pings nobody');

  console.log('\n▶ leo taps Reject… on the crisis card');
  await send(blockActionBody(PEOPLE.leo, ACTION.reject, '2:1', { channel: 'C0CRISIS', responseUrl: standIn.responseUrl('cmd-U0LEO') }));
  // The modal opens right after the ack, so wait for Slack to have been asked.
  await standIn.waitFor(() => standIn.openedViews().length > 0, 5000, 'the reject modal');
  await show('The reject modal opens (it is the confirmation)');
  const modal = standIn.openedViews().at(-1);
  const metadata = typeof modal?.view.private_metadata === 'string' ? modal.view.private_metadata : '{}';

  console.log('\n▶ leo submits the modal without a reason');
  const empty = await send(viewSubmissionBody(PEOPLE.leo, VIEW.reject, { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: ' ' } } }, metadata));
  const refusal: unknown = JSON.parse(empty.text);
  const errors = typeof refusal === 'object' && refusal !== null && 'errors' in refusal ? (refusal.errors as Record<string, unknown>) : {};
  console.log(`← the form stays open and says: ${String(errors[FIELD.reason.block] ?? empty.text)}`);

  console.log('\n▶ leo submits with the reason "Legal has not cleared the outage wording"');
  await send(viewSubmissionBody(PEOPLE.leo, VIEW.reject, { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Legal has not cleared the outage wording' } } }, metadata));
  await show('Moment #2 rejected: one reject is final');

  console.log('\n▶ maya types: /moment Game night: "Dunk it like it is overtime" #sports');
  ackText('maya', (await send(slashCommandBody(PEOPLE.maya, 'Game night: "Dunk it like it is overtime" #sports', { channel: 'C0SOCIAL', responseUrl: standIn.responseUrl('cmd-U0MAYA') }))).text);
  await show('Moment #3 goes to brand: card, DM to ana, maya told');

  console.log('\n▶ ana taps Request changes… in her DM');
  const opened = standIn.openedViews().length;
  await send(blockActionBody(PEOPLE.ana, ACTION.requestChanges, '3:1', { channel: 'DU0ANA', responseUrl: standIn.responseUrl('cmd-U0ANA') }));
  await standIn.waitFor(() => standIn.openedViews().length > opened, 5000, 'the request changes modal');
  const changes = standIn.openedViews().at(-1);
  console.log('\n▶ ana asks: "Name the team, and no overtime pun"');
  await send(
    viewSubmissionBody(PEOPLE.ana, VIEW.requestChanges, { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Name the team, and no overtime pun' } } }, String(changes?.view.private_metadata ?? '{}')),
  );
  await show('Moment #3 waits for a revision: maya is DMed the request with a Revise… button');

  console.log('\n▶ maya taps Revise… in her DM and sends a new copy');
  const beforeRevise = standIn.openedViews().length;
  await send(blockActionBody(PEOPLE.maya, ACTION.revise, '3:1', { channel: 'DU0MAYA', responseUrl: standIn.responseUrl('cmd-U0MAYA') }));
  await standIn.waitFor(() => standIn.openedViews().length > beforeRevise, 5000, 'the revise modal');
  const revise = standIn.openedViews().at(-1);
  const field = (block: { block: string; input: string }, type: string, value: string) => ({ [block.block]: { [block.input]: { type, value } } });
  await send(
    viewSubmissionBody(
      PEOPLE.maya,
      VIEW.revise,
      {
        ...field(FIELD.title, 'plain_text_input', 'Game night'),
        ...field(FIELD.copy, 'plain_text_input', 'Go Tigers: dunk it tonight'),
        [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
      },
      String(revise?.view.private_metadata ?? '{}'),
    ),
  );
  await show('Revision 2: the card shows the new copy, ana is asked again');

  console.log('\n▶ ana approves revision 2');
  await send(blockActionBody(PEOPLE.ana, ACTION.approve, '3:2', { channel: 'DU0ANA', responseUrl: standIn.responseUrl('cmd-U0ANA') }));
  await show('Moment #3 approved');

  // The reviewers' decisions, apart from the flagger's revision, which the decision log holds too.
  const logged = [1, 2, 3].flatMap((id) => app.store.reviews.decisions(id));
  const revisions = logged.filter((d) => d.action === 'revise').length;
  const decisions = `${logged.length - revisions} reviewer decisions and ${revisions} revision in the decision log`;
  const outbox = app.store.outbox.stats();
  console.log(
    `\nOn record: moment #1 ${app.store.moments.get(1)?.state.status}, moment #2 ${app.store.moments.get(2)?.state.status}, ` +
      `moment #3 ${app.store.moments.get(3)?.state.status} (revision ${app.store.moments.get(3)?.revision}), ${decisions}; ` +
      `${outbox.sent} Slack messages delivered, ${outbox.failed} failed, ${outbox.open} waiting.`,
  );
  console.log('(Slack shows *bold* as bold, and each date in the reader\'s own time zone; here they are printed raw, in UTC.)');
  console.log('Run `npm test` for the test suite; see README.md to connect a real workspace.');
  await app.stop();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
