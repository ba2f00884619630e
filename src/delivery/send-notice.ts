import { isFinal, type MomentView } from '../core/moment';
import { assertNever } from '../core/events';
import { sameAsked, type DmReason, type Note, type Notice } from '../core/notice';
import { holdsCurrentTierRole, leftBehind, movedOn, requestOpen, rolesLeftShort, waitsOn } from '../core/policy';
import type { Roster } from '../core/routing';
import { STATS_DAYS } from '../core/stats';
import { boldTitle } from '../slack/blocks/mrkdwn';
import { buildCard, buildFlaggerNote, buildReplacedDm, buildReviewDm, cardShowsCopyWhole } from '../slack/blocks/card';
import { buildHome } from '../slack/blocks/home';
import { noteText } from '../slack/blocks/notes';
import type { OutboxRow } from '../store/outbox';
import type { Store } from '../store/store';
import { homeContents } from '../workflow/home-contents';
import { homePeopleOf, refreshLiveHomes } from '../workflow/live-homes';
import { loadView } from '../workflow/moment-view';
import { within } from '../within';
import type { DeliveryDeps, Posted, Sent, Writes } from './delivery-deps';
import { isOutOfReach, ResponseUrlError } from './failure';
import { flagConfirmation } from './flag-confirmation';
import { withMessageSince } from './message-since';
import { dmChannel, landedOnly, permalinkOf, postOnce } from './post-once';
import { RecentTeamStats } from './recent-team-stats';
import { updateEach } from './update-each';

/** How long a first DM waits for its card's post, under way beside it, to link the card. */
const CARD_WAIT_MS = 2000;

/** Sends one outbox row, rendering it from the moment's state now (so an update always shows the latest). */
export async function sendNotice(row: OutboxRow, deps: DeliveryDeps): Promise<Sent> {
  const notice = row.notice;
  if (notice.kind === 'ephemeral') {
    await deps.client.chat.postEphemeral({
      channel: notice.channel,
      user: notice.userId,
      text: notice.text,
      ...(notice.threadTs === undefined ? {} : { thread_ts: notice.threadTs }),
    });
    return { kind: 'sent' };
  }
  if (notice.kind === 'respond') {
    await deps.postToResponseUrl(notice.responseUrl, { response_type: 'ephemeral', replace_original: false, text: notice.text });
    return { kind: 'sent' };
  }
  if (notice.kind === 'tell') {
    const writes: Writes = [];
    const text = aboutMoment(deps.store, row.momentId, notice.text);
    const posted = await postOnce(row, deps, await dmChannel(deps, notice.userId, writes), undefined, { text });
    return writes.length > 0 ? { kind: 'sent', ...posted, writes } : { kind: 'sent', ...posted };
  }
  if (notice.kind === 'publish_home') {
    // A busy reviewer's Home takes a few hundred ms to read and render: one at a time, requests read in between.
    await deps.renderTurns?.turn();
    const { store } = deps;
    // Read as RecentTeamStats reads them (the worker's, shared by the Homes it publishes; a fresh one otherwise).
    const stats = (deps.teamStats ?? new RecentTeamStats(store, deps.clock)).current();
    const team = { stats, days: STATS_DAYS };
    await deps.client.views.publish({
      user_id: notice.userId,
      view: buildHome(homeContents(store, notice.userId, deps.rolesOf?.(notice.userId), deps.roster?.()), team, deps.flagEmoji),
    });
    return { kind: 'sent' };
  }
  const view = row.momentId === undefined ? undefined : loadView(deps.store, row.momentId);
  if (!view) return { kind: 'skipped', why: 'moment not found' };
  const writes: Writes = [];
  const sent = await sendMomentNotice(row, notice, view, deps, writes);
  return sent.kind === 'sent' && writes.length > 0 ? { ...sent, writes } : sent;
}

async function sendMomentNotice(row: OutboxRow, notice: Notice, view: MomentView, deps: DeliveryDeps, writes: Writes): Promise<Sent> {
  const { store, client } = deps;
  const id = view.moment.id;
  const card = store.moments.card(id);
  switch (notice.kind) {
    case 'post_card': {
      if (card) return { kind: 'skipped', why: 'card already posted' };
      const posted = await postOnce(row, deps, view.moment.reviewChannel, undefined, buildCard(view, deps.roster?.(), { firstPost: true }));
      writes.push(() => store.moments.setCard(id, posted.channel, posted.ts));
      // Posted naming nobody (a mention in a new message notifies): the update queued with it, which notifies nobody,
      // names the flagger and the reviewers. Queued here, so a card queued by any version is followed by one; unless a
      // change queued an update while the post was on its way (an approval pressed from a DM): that one names them as
      // well, and one queued behind the change's thread reply would wait out the channel's posts to show the approval.
      writes.push(() => {
        if (!store.outbox.hasLaterOfKind(row, 'update_card')) store.outbox.enqueue(id, [{ kind: 'update_card' }], deps.clock());
      });
      // Its link, asked for once here, where everything sent beside the card (its confirmation, first DMs) reads it: each
      // asking on its own made a call per reviewer. The card is posted whether Slack answers or not; later notices ask.
      const permalink = await client.chat.getPermalink({ channel: posted.channel, message_ts: posted.ts }).then(
        (answer) => answer.permalink,
        () => undefined,
      );
      if (permalink) writes.push(() => store.moments.setPermalink(id, permalink));
      // A Home open since the flag listed the moment before its card was there to link (the flag's own publish may
      // have gone first): it is published again, linking the card, unless a publish is still waiting to go.
      writes.push(() => refreshLiveHomes(store, homePeopleOf(view), deps.clock()));
      return { kind: 'sent', ...posted };
    }
    case 'update_card': {
      if (!card) return { kind: 'skipped', why: 'no card to update' };
      await client.chat.update({ channel: card.channel, ts: card.ts, ...buildCard(view, deps.roster?.()) });
      return { kind: 'sent', channel: card.channel, ts: card.ts };
    }
    case 'thread_note': {
      if (!card) return { kind: 'skipped', why: 'no card thread' };
      const notes = [notice.note, ...(notice.more ?? [])];
      // The reviewer who pressed is named, not mentioned: a mention in the thread would notify them of their own press.
      const actors = notes.flatMap((note) => ('userId' in note && note.userId !== undefined ? [note.userId] : []));
      const names = deps.names && actors.length > 0 ? await deps.names.namesOf(actors) : undefined;
      // An approval says "Go post it!" here too only while the flagged message says what reviewers read.
      const told = await Promise.all(notes.map((note) => withMessageSince(deps, view.moment, note)));
      const text = told.map((note) => noteText(note, view.moment, undefined, { names })).join('\n');
      return { kind: 'sent', ...(await postOnce(row, deps, card.channel, card.ts, { text })) };
    }
    case 'confirm_flag': {
      const permalink = card ? await permalinkOf(deps, id, card, writes) : undefined;
      const text = flagConfirmation(view, card !== undefined, permalink, store.moments.cardRefused(id));
      // Where no ephemeral can reach the flagger, the confirmation goes by DM.
      const byDm = async (): Promise<Sent> => ({ kind: 'sent', ...(await postOnce(row, deps, await dmChannel(deps, notice.userId, writes), undefined, { text })) });
      if (notice.responseUrl) {
        try {
          await deps.postToResponseUrl(notice.responseUrl, { response_type: 'ephemeral', replace_original: false, text });
        } catch (error) {
          // A response_url lives 30 minutes: a confirmation held back longer (Slack was down) goes by DM, where the
          // flagger still learns where the card is, or that it could not be posted.
          if (!(error instanceof ResponseUrlError && error.status >= 400 && error.status < 500 && error.status !== 429)) throw error;
          return byDm();
        }
      } else if (notice.channel) {
        // Flagged from a reply in a thread (a reaction): confirmed in that thread, where the person is.
        const source = view.moment.source;
        const threadTs = source?.channel === notice.channel ? source.threadTs : undefined;
        try {
          await client.chat.postEphemeral({ channel: notice.channel, user: notice.userId, text, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) });
        } catch (error) {
          if (!isOutOfReach(error)) throw error;
          // A form opened where Greenlight is not (a DM between people, a channel it was never invited to):
          // the flagger still gets the confirmation and the card's link, by DM.
          return byDm();
        }
      } else {
        return byDm();
      }
      return { kind: 'sent' };
    }
    case 'dm_reviewer':
    case 'remind_reviewer': {
      const roles = deps.rolesOf?.(notice.userId);
      const why = notice.kind === 'remind_reviewer' ? 'remind' : notice.why;
      // What it asks about: as queued (a post of it found late, after the moment moved on, is recorded as what it was);
      // rows queued before they said, the moment's tier and revision now.
      const asked = { tier: notice.tier ?? view.moment.tier, revision: notice.revision ?? view.moment.revision };
      const record = (posted: Posted) => writes.push(() => store.messages.recordDm(id, notice.userId, posted.channel, posted.ts, why, asked));
      // Gone stale since it was queued: the moment escalated or was revised (whoever decides now gets a DM of their
      // own: a late one about what was asked before would ask twice, or about nothing); taken out of the roles they
      // were asked in at this tier (or the moment has left their tier); a reminder once they approved, their role was
      // filled, or the moment closed or went back for changes (it says the moment "still needs your decision"); a DM
      // about a moment that closed meanwhile, to someone who has one already (it would ping them for nothing; a first
      // DM still goes, as their record of what they were asked).
      const stale = movedOn(view, notice)
        ? 'the moment moved to another tier or revision since'
        : !holdsCurrentTierRole(view, notice.userId, roles)
          ? 'reviewer no longer holds the role'
          : notice.kind === 'remind_reviewer' && !waitsOn(view, notice.userId, roles)
            ? 'nothing left for them to decide'
            : isFinal(view.moment.state.status) && store.messages.dmsTo(id, notice.userId).length > 0
              ? 'the moment closed; they have a DM about it'
              : undefined;
      if (stale !== undefined) return landedOnly(row, deps, () => dmChannel(deps, notice.userId, writes), record, stale);
      // A flag's card and its first DMs go out together: the DM waits for the card's post under way (a moment) to
      // link it, never for one queued behind its channel's pace.
      const onItsWay = card ? undefined : deps.cardOnItsWay?.(id);
      if (onItsWay) await within(onItsWay, CARD_WAIT_MS, () => undefined);
      // Waited for: the link the card's post asked for, if Slack gave it (the ping never waits on a call of its own).
      const permalink = card ? await permalinkOf(deps, id, card, writes) : onItsWay ? store.moments.card(id)?.permalink : undefined;
      const channel = await dmChannel(deps, notice.userId, writes);
      const posted = await postOnce(row, deps, channel, undefined, buildReviewDm(view, notice.userId, why, permalink, deps.roster?.(), roles, deps.clock()));
      record(posted);
      return { kind: 'sent', ...posted };
    }
    case 'update_dm': {
      // A DM replaced by a later tier or revision was told so once: later changes leave it alone, but for the end, which
      // every DM says (no newer one may come then).
      const closed = isFinal(view.moment.state.status);
      const dms = store.messages.dmsTo(id, notice.userId).filter((dm) => closed || !dm.settled);
      if (dms.length === 0) return { kind: 'skipped', why: 'no DM to update' };
      const roster = deps.roster?.();
      const roles = deps.rolesOf?.(notice.userId);
      // Each DM keeps its own words (an escalation's, a revision's) while the moment is open; a reminder's are true only
      // at the tier and revision it was sent at, so it is re-rendered as the review it reminded of.
      const words = (why: DmReason): DmReason => (why === 'remind' ? 'review' : why);
      // A DM of theirs asks about the moment's tier and revision now: the older ones were replaced by it. Without one
      // (they were out of the role when it was due), an older DM keeps following the moment, so that it gives them the
      // buttons back should they return to the role.
      // Someone only left behind by an escalation is told so (and the end), as before; anyone asked again since has the
      // old DM say it was replaced, once.
      const replaces = !closed && !leftBehind(view, notice.userId) && dms.some((dm) => dm.asked !== undefined && !movedOn(view, dm.asked));
      // The DMs the same change posted (just before, in this lane) read as they should already: one update fewer each.
      const { postedWith } = notice;
      const stale = postedWith ? dms.filter((dm) => !sameAsked(dm.asked, postedWith)) : dms;
      if (stale.length === 0) return { kind: 'skipped', why: 'every DM was just posted as it should read' };
      return updateEach(
        deps,
        stale.map((dm) => {
          if (replaces && dm.asked && movedOn(view, dm.asked)) {
            return { dm, message: buildReplacedDm(view, dm.asked, card?.permalink), updated: () => writes.push(() => store.messages.settleDm(id, dm.channel, dm.ts)) };
          }
          return { dm, message: buildReviewDm(view, notice.userId, words(dm.why), card?.permalink, roster, roles, deps.clock()) };
        }),
      );
    }
    case 'notify_flagger': {
      const askedOn = notice.revision ?? view.moment.revision;
      const reminder = notice.reminder === true;
      // A request for changes offers Revise…: kept, so the revision or the end of the moment can take it away.
      const record = (posted: Posted) => writes.push(() => store.messages.recordFlaggerNote(id, askedOn, posted.channel, posted.ts, notice.note, reminder));
      // A reminder says the revision is still due: not once a revision, a withdrawal or the end answered the request
      // since it was queued.
      if (reminder && !requestOpen(view, askedOn)) return landedOnly(row, deps, () => dmChannel(deps, view.moment.flaggerId, writes), record, 'the request was answered meanwhile');
      // Too few people left in a role: not once the moment moved on (decided, escalated) or the role has people again,
      // nor when the flagger's last word on each of its roles, about this revision, already says so (an all-clear
      // overtaken by the role emptying again was never sent). A revision is asked anew: its warning goes.
      if (notice.note.what === 'short_staffed') {
        const told = toldShort(store, id, { revision: askedOn, tier: view.moment.tier });
        if (!stillShort(view, notice.note.roles, deps.roster?.()) || notice.note.roles.every((role) => told.has(role))) {
          return landedOnly(row, deps, () => dmChannel(deps, view.moment.flaggerId, writes), record, 'the moment moved on, its roles have people again, or the flagger was told already');
        }
      }
      // Enough people again: only for roles the flagger was last told were short (a warning overtaken by the people's
      // return was never sent; another process may have told them already), and not once the moment moved on (decided,
      // escalated, revised) or a role is short again (the card says which holds).
      if (notice.note.what === 'staffed_again') {
        const told = toldShort(store, id);
        const stale = view.moment.state.status !== 'pending' || movedOn(view, { tier: notice.note.tier, revision: askedOn });
        if (stale || !notice.note.roles.some((role) => told.has(role)) || stillShort(view, notice.note.roles, deps.roster?.())) {
          return landedOnly(row, deps, () => dmChannel(deps, view.moment.flaggerId, writes), record, 'not told it was short, the moment moved on, or its roles are short again');
        }
      }
      const permalink = card ? await permalinkOf(deps, id, card, writes) : undefined;
      const channel = await dmChannel(deps, view.moment.flaggerId, writes);
      const note = await withMessageSince(deps, view.moment, withRolesStillShort(view, notice.note, deps.roster?.()));
      const message = buildFlaggerNote(view, note, permalink, askedOn, reminder, deps.clock());
      const posted = await postOnce(row, deps, channel, undefined, message.blocks.length > 0 ? message : { text: message.text });
      // Kept: a request for changes (its Revise… button goes with the revision or the end), a warning that a role is short
      // and its all-clear (what tells a later "enough people again" whether the flagger was last told it was short).
      if (message.blocks.length > 0 || note.what === 'short_staffed' || note.what === 'staffed_again') record(posted);
      return { kind: 'sent', ...posted };
    }
    case 'update_flagger_note': {
      const notes = store.messages.flaggerNotes(id).filter((n) => n.revision === notice.revision && n.note.what === 'request_changes');
      if (notes.length === 0) return { kind: 'skipped', why: 'no request for changes to update' };
      const permalink = card?.permalink;
      return updateEach(
        deps,
        notes.map((n) => ({ dm: n, message: buildFlaggerNote(view, n.note, permalink, n.revision, n.reminder, deps.clock()) })),
      );
    }
    case 'source_reply': {
      const source = view.moment.source;
      if (!source) return { kind: 'skipped', why: 'no source message' };
      const permalink = card ? await permalinkOf(deps, id, card, writes) : undefined;
      // A reply's thread is named by its parent, as Slack advises; a top-level message starts its own thread.
      const thread = source.threadTs ?? source.ts;
      const note = await withMessageSince(deps, view.moment, notice.note);
      try {
        const copyWholeOnCard = note.what !== 'approved' || cardShowsCopyWhole(view);
        const text = noteText(note, view.moment, permalink, { copyWholeOnCard, underTheMessage: true });
        return { kind: 'sent', ...(await postOnce(row, deps, source.channel, thread, { text })) };
      } catch (error) {
        // Flagged with the shortcut where Greenlight is not (it works on any message): the thread cannot be told, and
        // nobody need fix that; the flagger has the confirmation and the card.
        if (isOutOfReach(error)) return { kind: 'skipped', why: "Greenlight is not in the flagged message's channel" };
        throw error;
      }
    }
    case 'ephemeral':
    case 'respond':
    case 'tell':
    case 'publish_home':
      return { kind: 'skipped', why: 'not a moment notice' };
    default:
      return assertNever(notice);
  }
}

/**
 * The roles the flagger was last told were short for this moment (about one revision and tier only, when given: the
 * same role may be short again at the tier it escalated to): a short_staffed note sent, no staffed_again since.
 */
function toldShort(store: Store, momentId: number, about?: { revision: number; tier: number }): Set<string> {
  const short = new Set<string>();
  for (const { note, revision } of store.messages.flaggerNotes(momentId)) {
    if (about !== undefined && (revision !== about.revision || (note.what === 'short_staffed' && note.tier !== about.tier))) continue;
    if (note.what === 'short_staffed') for (const role of note.roles) short.add(role);
    if (note.what === 'staffed_again') for (const role of note.roles) short.delete(role);
  }
  return short;
}

/**
 * An all-clear names the other roles still short as it is sent: with one role back and another still empty, "nothing to
 * do" would let the moment expire.
 */
function withRolesStillShort(view: MomentView, note: Note, roster: Roster | undefined): Note {
  if (note.what !== 'staffed_again') return note;
  const others = rolesLeftShort(view, roster).filter((role) => !note.roles.includes(role));
  return others.length === 0 ? note : { ...note, stillShort: others };
}

function stillShort(view: MomentView, roles: readonly string[], roster: Roster | undefined): boolean {
  const short = new Set(rolesLeftShort(view, roster));
  return roles.some((role) => short.has(role));
}

/**
 * An answer told by DM, about a press in App Home, names the moment pressed on: a DM beside nothing ("Already approved
 * by …") would not say which of the person's moments it was. Named as it is now (a revision may have retitled it);
 * an answer about no moment, or one gone, is told as it is.
 */
function aboutMoment(store: Store, momentId: number | undefined, text: string): string {
  const moment = momentId === undefined ? undefined : store.moments.get(momentId);
  return moment ? `Moment #${moment.id} ${boldTitle(moment.content.title, 120)}: ${text}` : text;
}

