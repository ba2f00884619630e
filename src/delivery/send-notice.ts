import type { WebClient } from '@slack/web-api';
import { assertNever } from '../core/events';
import { isFinal, type MomentView } from '../core/moment';
import { sameAsked, type DmReason, type Notice } from '../core/notices';
import { holdsCurrentTierRole, leftBehind, movedOn, requestOpen, rolesLeftShort, waitsOn } from '../core/policy';
import type { Roster } from '../core/routing';
import { STATS_DAYS } from '../core/stats';
import { boldTitle, escapeAndCut } from '../slack/blocks/mrkdwn';
import { buildCard, buildFlaggerNote, buildReplacedDm, buildReviewDm, type RenderedMessage } from '../slack/blocks/card';
import { buildHome } from '../slack/blocks/home';
import { noteText } from '../slack/blocks/notes';
import type { DirectMessage } from '../store/messages';
import type { PacingFacts } from '../store/moments';
import type { OutboxRow } from '../store/outbox';
import type { Store } from '../store/store';
import { homeContents } from '../workflow/home-contents';
import { homePeopleOf, refreshLiveHomes } from '../workflow/live-homes';
import { loadView } from '../workflow/moment-view';
import { within } from '../within';
import { stillWorthRetrying } from './backoff';
import type { OneAtATime } from './one-at-a-time';
import type { PersonNames } from './person-names';
import { RecentTeamStats } from './recent-team-stats';
import { classifyFailure, isOutOfReach, NotPostedAgainError, ResponseUrlError } from './failure';

export interface DeliveryDeps {
  readonly store: Store;
  readonly client: WebClient;
  readonly clock: () => number;
  /** POSTs JSON to a response_url; throws ResponseUrlError on a non-2xx answer. */
  readonly postToResponseUrl: (url: string, body: Record<string, unknown>) => Promise<void>;
  /**
   * The roles the directory gives a person now, read as each notice goes out (a retry hours later reads them again);
   * undefined, or no directory: not known, every stored assignment is trusted.
   */
  readonly rolesOf?: (userId: string) => ReadonlySet<string> | undefined;
  /** Every role's members now, so a card offers Escalate when the next tier has someone today; undefined: as at the flag. */
  readonly roster?: () => Roster | undefined;
  /**
   * Greenlight's own bot user and bot, once known: a post looked for after a lost answer must be Greenlight's, not a
   * message someone else wrote with the same metadata. Undefined (not known yet): any author is taken, as before.
   */
  readonly self?: () => { readonly botUserId: string; readonly botId: string } | undefined;
  /** Turns for renders long enough to hold the event loop (App Home): the worker's, shared by the rows it sends. */
  readonly renderTurns?: OneAtATime;
  /** The moment's card post when this worker is sending it right now; undefined otherwise (queued, done, elsewhere). */
  readonly cardOnItsWay?: (momentId: number) => Promise<void> | undefined;
  /** The team stats App Home shows (the worker's, read at most once a minute); undefined: read for each Home. */
  readonly teamStats?: RecentTeamStats;
  /** People's names, for a thread note that names the person who acted without pinging them; undefined: mentioned. */
  readonly names?: PersonNames;
  /** The emoji that flags a message (FLAG_EMOJI), named in App Home; undefined: not named. */
  readonly flagEmoji?: string;
}

/** How long a first DM waits for its card's post, under way beside it, to link the card. */
const CARD_WAIT_MS = 2000;

/**
 * What a send learned that the store keeps (the card's ts, a DM's ts, a DM channel, a permalink): written by the
 * worker in the same batched commit as the row's result, never as a commit of its own on the event loop (under
 * FULL that was an fsync each).
 */
type Writes = (() => void)[];

export type Sent =
  | {
      readonly kind: 'sent';
      readonly channel?: string;
      readonly ts?: string;
      readonly writes?: readonly (() => void)[];
      /** Parts Slack refused for good while the rest went (a DM it can no longer update), for the log and the row. */
      readonly refused?: readonly string[];
    }
  | { readonly kind: 'skipped'; readonly why: string };

/** Metadata on every post, so a post whose answer was lost can be found before posting again. */
export const NOTICE_EVENT_TYPE = 'greenlight_notice';

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
      const posted = await postOnce(row, deps, view.moment.reviewChannel, undefined, buildCard(view, deps.roster?.()));
      writes.push(() => store.moments.setCard(id, posted.channel, posted.ts));
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
      const text = notes.map((note) => noteText(note, view.moment, undefined, names)).join('\n');
      return { kind: 'sent', ...(await postOnce(row, deps, card.channel, card.ts, { text })) };
    }
    case 'confirm_flag': {
      const permalink = card ? await permalinkOf(deps, id, card, writes) : undefined;
      // The topic named, so a mistyped #topic that fell back to another shows at once.
      const flaggedAs = `⚡ Flagged ${boldTitle(view.moment.content.title, 200)} for review as *${escapeAndCut(view.moment.topic, 60)}*.`;
      const text = card
        ? `${flaggedAs} ${permalink ? `<${permalink}|See the card>` : 'Its card is'} in <#${view.moment.reviewChannel}>; ${standingSinceFlag(view)}.`
        : `⚠️ I could not post the card for ${boldTitle(view.moment.content.title, 200)} in <#${view.moment.reviewChannel}>, so its reviewers decide from the DMs they were sent (flagging this one again would ask them twice). ${cardRefusalAdvice(store.moments.cardRefused(id))}`;
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
      // Too few people left in a role: not once the moment moved on (decided, escalated) or the role has people again.
      if (notice.note.what === 'short_staffed' && !stillShort(view, notice.note.roles, deps.roster?.())) {
        return landedOnly(row, deps, () => dmChannel(deps, view.moment.flaggerId, writes), record, 'the moment moved on, or its roles have people again');
      }
      const permalink = card ? await permalinkOf(deps, id, card, writes) : undefined;
      const channel = await dmChannel(deps, view.moment.flaggerId, writes);
      const message = buildFlaggerNote(view, notice.note, permalink, askedOn, reminder, deps.clock());
      const posted = await postOnce(row, deps, channel, undefined, message.blocks.length > 0 ? message : { text: message.text });
      if (message.blocks.length > 0) record(posted);
      return { kind: 'sent', ...posted };
    }
    case 'update_flagger_note': {
      const notes = store.messages.flaggerNotes(id).filter((n) => n.revision === notice.revision);
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
      try {
        return { kind: 'sent', ...(await postOnce(row, deps, source.channel, thread, { text: noteText(notice.note, view.moment, permalink) })) };
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

function stillShort(view: MomentView, roles: readonly string[], roster: Roster | undefined): boolean {
  const short = new Set(rolesLeftShort(view, roster));
  return roles.some((role) => short.has(role));
}

/** What the flagger can do about a card Slack refused, by Slack's reason: inviting Greenlight fixes only some. */
function cardRefusalAdvice(error: string | undefined): string {
  if (error === 'not_in_channel' || error === 'channel_not_found') return 'Invite me there with `/invite @Greenlight` for the next ones.';
  if (error === 'is_archived') return 'The channel is archived: whoever runs Greenlight can unarchive it, or name another review channel.';
  if (error?.startsWith('restricted_action')) {
    return 'The channel does not let me post (its posting permissions, or a workspace policy): whoever runs Greenlight can change that, or name another review channel.';
  }
  return 'Whoever runs Greenlight can see why in its log.';
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

/** Where a message Greenlight posted is: enough to update it. */
type Posted = Pick<DirectMessage, 'channel' | 'ts'>;

/**
 * Re-renders each of a reviewer's DMs about the moment in place (or each of the flagger's requests for changes). One
 * outbox row per person, not per DM: its lane comes after every DM posted to them about the moment, so by the time it
 * runs all of them are recorded (a row per DM, queued with the change, would miss a DM still waiting in that lane). An update never posts, so a retry
 * safely updates them all again. Each DM is tried: a passing failure on one retries the row once the others were
 * updated; one Slack refuses for good (deleted) is noted and the others still go; a 429 stops at once, since it
 * pauses every update.
 */
async function updateEach(
  deps: DeliveryDeps,
  updates: readonly { readonly dm: Posted; readonly message: RenderedMessage; readonly updated?: () => void }[],
): Promise<Sent> {
  let updated: Posted | undefined;
  let retry: unknown;
  let firstRefusal: unknown;
  const refused: string[] = [];
  for (const { dm, message, updated: onUpdated } of updates) {
    try {
      await deps.client.chat.update({ channel: dm.channel, ts: dm.ts, ...message });
      updated = dm;
      onUpdated?.();
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'rate_limited') throw error;
      if (failure.kind === 'transient') {
        retry ??= error;
      } else {
        firstRefusal ??= error;
        refused.push(`DM ${dm.channel}/${dm.ts}: ${failure.error}`);
      }
    }
  }
  if (retry !== undefined) throw retry;
  if (!updated) throw firstRefusal;
  return { kind: 'sent', channel: updated.channel, ts: updated.ts, ...(refused.length > 0 ? { refused } : {}) };
}

/**
 * The limit a pacing queue shares with others, when Slack counts its calls together: chat.update is limited per
 * workspace (Tier 3), not per channel, so a 429 on one update pauses every update queue; posts stay per channel.
 */
export function sharedLimitOf(key: string): string | undefined {
  return key.startsWith('update:') ? 'update:*' : undefined;
}

/**
 * Which pacing queue a row waits in: its Slack channel, the person for DMs, or its response_url (each URL is its
 * own endpoint with its own limit, so one that hangs or answers 429 holds up nobody else's answers). Posts and
 * updates of one channel queue apart: Slack's one-message-a-second pace is for posting, so a card update never
 * waits behind the cards queued for its channel (a moment's own order is kept by its lanes, whatever the queue).
 */
export function pacingKey(row: OutboxRow, factsOf: (momentId: number) => PacingFacts | undefined): string {
  const notice = row.notice;
  switch (notice.kind) {
    case 'ephemeral':
      return `ephemeral:${notice.channel}`;
    case 'respond':
      return `response_url:${notice.responseUrl}`;
    case 'publish_home':
      return `home:${notice.userId}`;
    case 'dm_reviewer':
    case 'remind_reviewer':
    case 'tell':
      return `user:${notice.userId}`;
    case 'update_dm':
      return `update:user:${notice.userId}`;
    case 'confirm_flag':
      return notice.responseUrl ? `response_url:${notice.responseUrl}` : `user:${notice.userId}`;
    case 'notify_flagger':
    case 'update_flagger_note':
    case 'source_reply':
    case 'post_card':
    case 'update_card':
    case 'thread_note': {
      const facts = row.momentId === undefined ? undefined : factsOf(row.momentId);
      if (!facts) return 'unknown';
      if (notice.kind === 'notify_flagger') return `user:${facts.flaggerId}`;
      if (notice.kind === 'update_flagger_note') return `update:user:${facts.flaggerId}`;
      if (notice.kind === 'source_reply') return `channel:${facts.sourceChannel ?? 'none'}`;
      if (notice.kind === 'update_card') return `update:channel:${facts.reviewChannel}`;
      return `channel:${facts.reviewChannel}`;
    }
    default:
      return assertNever(notice);
  }
}

/**
 * Where a moment stands, for its flag's confirmation. The confirmation waits for the card, the card for its channel's
 * pace; the reviewers' DMs do not, so a reviewer may have decided by then, and the flagger heard it.
 */
function standingSinceFlag(view: MomentView): string {
  const state = view.moment.state;
  if (state.status === 'pending') return 'reviewers have been pinged';
  const by = state.by === undefined ? '' : `, by <@${state.by}>`;
  switch (state.status) {
    case 'changes_requested':
      return `changes have been requested since${by}`;
    case 'approved':
    case 'rejected':
    case 'expired':
      return `it has been ${state.status} since${by}`;
    case 'withdrawn':
      return 'you have withdrawn it since';
    default:
      return assertNever(state);
  }
}

/** Posts that count against Slack's one-message-per-second-per-channel pace. */
export function isPost(notice: Notice): boolean {
  return !['update_card', 'update_dm', 'update_flagger_note', 'ephemeral', 'respond', 'publish_home'].includes(notice.kind) && !(notice.kind === 'confirm_flag' && notice.responseUrl);
}

/**
 * A DM gone stale since it was queued is not posted. But an earlier attempt may have landed (the row is uncertain):
 * it is looked for, and recorded when found, so the updates that follow reach it and take its buttons away.
 */
async function landedOnly(row: OutboxRow, deps: DeliveryDeps, channel: () => Promise<string>, record: (posted: Posted) => void, why: string): Promise<Sent> {
  const found = row.uncertain ? await findPosted(deps, row, await channel(), undefined) : undefined;
  if (!found) return { kind: 'skipped', why };
  record(found);
  return { kind: 'sent', ...found };
}

/**
 * chat.postMessage at most once in effect: when an earlier attempt may have landed, look for it
 * (by the outbox id in its metadata) before posting again. The worker marked the row in flight when
 * it claimed it, so a post that lands while its answer is lost is looked for next time.
 */
async function postOnce(
  row: OutboxRow,
  deps: DeliveryDeps,
  channel: string,
  threadTs: string | undefined,
  message: { text: string; blocks?: unknown[] },
): Promise<{ channel: string; ts: string }> {
  if (row.uncertain) {
    const found = await findPosted(deps, row, channel, threadTs);
    if (found) return found;
    // Past its retry window it is only looked for: a day-old message (or a half-hour-old answer to someone) is not worth
    // a possible double. A row whose earlier attempts surely failed is still posted, late, by a retry due before then.
    if (!stillWorthRetrying(row.notice, row.createdAt, deps.clock())) throw new NotPostedAgainError();
  }
  const result = await deps.client.chat.postMessage({
    channel,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks as never } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    unfurl_links: false,
    metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outbox_id: row.id } },
  });
  return { channel: result.channel ?? channel, ts: result.ts ?? '' };
}

/** Pages of 200 read when looking for a post whose answer was lost: a busy channel can bury it. */
const LOOK_PAGES = 10;

async function findPosted(deps: DeliveryDeps, row: OutboxRow, channel: string, threadTs: string | undefined): Promise<{ channel: string; ts: string } | undefined> {
  const oldest = (((row.firstAttemptAt ?? row.createdAt) - 60_000) / 1000).toFixed(6);
  let cursor: string | undefined;
  const self = deps.self?.();
  for (let page = 0; page < LOOK_PAGES; page += 1) {
    const args = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const result = threadTs ? await deps.client.conversations.replies({ ...args, ts: threadTs }) : await deps.client.conversations.history(args);
    for (const message of result.messages ?? []) {
      // A thread's replies come after its parent, which Slack returns first whatever `oldest` says: the parent (the
      // card) is never the reply looked for, even where an outbox emptied long ago gave the reply the card's old id.
      if (threadTs !== undefined && message.ts === threadTs) continue;
      const payload = message.metadata?.event_payload as Record<string, unknown> | undefined;
      // Anyone able to post with metadata could write the same: only Greenlight's own post (by its bot user, or by its
      // bot where Slack names no user) counts as the one that landed.
      if (self !== undefined && message.user !== self.botUserId && !(message.user === undefined && message.bot_id === self.botId)) continue;
      if (message.metadata?.event_type === NOTICE_EVENT_TYPE && payload?.outbox_id === row.id && message.ts) return { channel, ts: message.ts };
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  // Not found in the pages read: treat as not posted (a double is possible only past 2000 newer messages).
  return undefined;
}

async function dmChannel(deps: DeliveryDeps, userId: string, writes: Writes): Promise<string> {
  const known = deps.store.messages.dmChannel(userId);
  if (known) return known;
  const opened = await deps.client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  writes.push(() => deps.store.messages.rememberDmChannel(userId, channel));
  return channel;
}

async function permalinkOf(
  deps: DeliveryDeps,
  momentId: number,
  card: { channel: string; ts: string; permalink: string | undefined },
  writes: Writes,
): Promise<string | undefined> {
  if (card.permalink) return card.permalink;
  // The link is a convenience: a notice goes without it rather than wait, or fail, on a lookup (the card deleted,
  // Slack failing to answer it). A later notice asks again.
  const permalink = await deps.client.chat.getPermalink({ channel: card.channel, message_ts: card.ts }).then(
    (answer) => answer.permalink,
    () => undefined,
  );
  if (permalink) writes.push(() => deps.store.moments.setPermalink(momentId, permalink));
  return permalink;
}
