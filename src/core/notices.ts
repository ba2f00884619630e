import { assertNever, type MomentEvent } from './events';
import { approvalCanCount, type DecisionAction, type DecisionRecord, type MomentView } from './moment';
import { sameAsked, type Asked, type Note, type Notice, type OutcomeNote } from './notice';
import { assignedRoles, awaitedRevision, countingApprovals, currentAssignments, isRequirementMet, nextDecidingTier, requestOnCurrentRevision, roleForApproval, reviewersBackInRole, reviewersRegainingARole, rolesAwaited, rolesLeftShort, undecidedReviewers } from './policy';
import type { Roster } from './routing';

/** The first notices of a new moment. */
export function noticesForFlag(view: MomentView, confirm: { channel: string | undefined; responseUrl: string | undefined }): Notice[] {
  const notices: Notice[] = [{ kind: 'post_card' }];
  notices.push({ kind: 'confirm_flag', userId: view.moment.flaggerId, channel: confirm.channel, responseUrl: confirm.responseUrl });
  if (view.moment.source) notices.push({ kind: 'source_reply', note: { what: 'flagged' } });
  notices.push(...reviewerDms(view, 'review'));
  return notices;
}

/** What an event tells whom; `after` is the view with the event applied. */
export function noticesFor(event: MomentEvent, after: MomentView): Notice[] {
  switch (event.type) {
    case 'approval_recorded':
      // The approver's DM says their approval is in (on a phone the card is out of sight); the DMs whose words it
      // changed follow (dmsChangedBy).
      return [
        { kind: 'update_card' },
        { kind: 'thread_note', note: noteOf(event.decision) },
        ...[...(event.decision.userId ? [event.decision.userId] : []), ...dmsChangedBy(after, event.decision)].map((userId): Notice => ({ kind: 'update_dm', userId })),
      ];
    case 'changes_requested':
      // The reviewers' DMs lose their buttons too: nothing can be approved until the revision, which is DMed anew. Those
      // of tiers the moment escalated from were settled then ("nothing more is needed from you"), and wait for the end:
      // a big group left behind would cost an update each at every request and revision.
      return [
        { kind: 'update_card' },
        { kind: 'thread_note', note: noteOf(event.decision) },
        { kind: 'notify_flagger', note: noteOf(event.decision), revision: event.decision.revision },
        ...dmUpdates(after, undefined, undefined, after.moment.tier),
      ];
    case 'rejected':
    case 'withdrawn':
      return [{ kind: 'update_card' }, { kind: 'thread_note', note: noteOf(event.decision) }, ...closingNotices(after)];
    case 'expired':
      // The last timeout's own line would announce an escalation: the thread is told the moment expired.
      return [{ kind: 'update_card' }, { kind: 'thread_note', note: expiredNote(after) }, ...closingNotices(after)];
    case 'approved':
      return [{ kind: 'update_card' }, { kind: 'thread_note', note: { what: 'approved', userId: event.by, comment: undefined } }, ...closingNotices(after)];
    case 'revised':
      return [
        { kind: 'update_card' },
        { kind: 'thread_note', note: { ...noteOf(event.decision), voidedApprovals: approvalsReplaced(after) } },
        // The request's Revise… is answered: the flagger's DM says so instead of offering it again.
        { kind: 'update_flagger_note', revision: after.moment.revision - 1 },
        // The reviewers' earlier DMs still say a revision is due: after the new DM in each person's lane, each says once
        // that it was replaced (no buttons), or, with no new DM (out of the role), follows the moment as before. The
        // flagger, a reviewer only with self-approval, just posted it: their DM follows it, and nothing pings them.
        ...reviewerDms(after, 'revised', after.moment.flaggerId),
        ...dmUpdates(after, undefined, askedNow(after), after.moment.tier),
      ];
    case 'escalated':
      return [
        { kind: 'update_card' },
        { kind: 'thread_note', note: { ...noteOf(event.decision), toTier: event.toTier } },
        // The flagger waits on the outcome: they learn who has it now and why (a reviewer's reason, or the clock),
        // unless they pressed Escalate themselves, or are asked in the new tier (self-approval): their review DM says
        // it was escalated to them, and a note beside it would ping them twice for one change.
        ...(event.decision.userId === after.moment.flaggerId || reviewersToPing(after).includes(after.moment.flaggerId)
          ? []
          : [{ kind: 'notify_flagger' as const, note: { ...noteOf(event.decision), toTier: event.toTier } }]),
        // The DMs of the tiers left behind are re-rendered: their buttons go (a press would be refused); someone in the
        // new tier too is told the old DM was replaced, after the new tier's DM in their lane (which keeps its own words).
        ...reviewerDms(after, 'escalated'),
        ...dmUpdates(after, after.moment.tier, askedNow(after)),
      ];
    case 'reminded':
      return event.userIds.map((userId): Notice => ({ kind: 'remind_reviewer', userId, tier: event.tier, revision: after.moment.revision }));
    case 'revision_reminded': {
      const request = requestOnCurrentRevision(after);
      return request ? [{ kind: 'notify_flagger', note: noteOf(request), revision: request.revision, reminder: true }] : [];
    }
    default:
      return assertNever(event);
  }
}

/**
 * What one change (one command, one deadline) queues: the card and each person's DMs are re-rendered once, since an
 * update shows the state at send time; the thread gets one reply holding every line, not a post per event (each
 * post counts against the channel's one per second, and each pings the thread's followers).
 */
export function noticesForChange(notices: readonly Notice[]): Notice[] {
  const [first, ...more] = notices.flatMap((n) => (n.kind === 'thread_note' ? [n.note, ...(n.more ?? [])] : []));
  const kept = new Set<string>();
  // Where each person's DM update is in `out`.
  const dmUpdateAt = new Map<string, number>();
  const out: Notice[] = [];
  for (const notice of notices) {
    // A re-render shows the state at send time: one per card, one per person's DMs.
    if (notice.kind === 'update_card' || notice.kind === 'thread_note') {
      if (kept.has(notice.kind)) continue;
      kept.add(notice.kind);
    }
    if (notice.kind === 'update_dm') {
      const at = dmUpdateAt.get(notice.userId);
      if (at !== undefined) {
        // One update for all their DMs, which leaves fresh ones alone only when every update merged into it does.
        const earlier = out[at];
        if (earlier?.kind === 'update_dm' && !sameAsked(earlier.postedWith, notice.postedWith)) out[at] = { kind: 'update_dm', userId: notice.userId };
        continue;
      }
      dmUpdateAt.set(notice.userId, out.length);
    }
    out.push(notice.kind === 'thread_note' && first && more.length > 0 ? { kind: 'thread_note', note: first, more } : notice);
  }
  return out;
}

/** Once a moment ends (the card update comes before these): the flagger hears the outcome, every reviewer DM loses its buttons, the source thread is told. */
function closingNotices(after: MomentView): Notice[] {
  const state = after.moment.state;
  if (state.status === 'pending' || state.status === 'changes_requested') return [];
  const note: OutcomeNote = state.status === 'expired' ? expiredNote(after) : { what: state.status, userId: state.by, comment: state.comment };
  // Only the flagger withdraws: they are not told what they just did (as with their own Escalate).
  const notices: Notice[] = [...(state.status === 'withdrawn' ? [] : [{ kind: 'notify_flagger' as const, note }]), ...dmUpdates(after)];
  // Ended while the flagger's Revise… was still offered (withdrawn or expired meanwhile): it goes.
  if (awaitedRevision(after)) notices.push({ kind: 'update_flagger_note', revision: after.moment.revision });
  // The flagged message may sit in a channel wider than the review (a public one): it is told the outcome, not who
  // decided nor their reason, which stay with the card and the flagger (a mention there would ping a reviewer before
  // the whole channel).
  // Nor that changes were asked: an expiry while the revision was awaited reads there as any other expiry.
  if (after.moment.source) notices.push({ kind: 'source_reply', note: { what: note.what, userId: undefined, comment: undefined } });
  return notices;
}

function expiredNote(after: MomentView): OutcomeNote {
  return { what: 'expired', userId: undefined, comment: undefined, ...(awaitedRevision(after) ? { awaitingRevision: true as const } : {}) };
}

/**
 * Re-renders every reviewer's DMs about the moment, of the tiers below `belowTier` (every tier reached, by default:
 * later tiers were never pinged).
 */
function dmUpdates(after: MomentView, belowTier = after.moment.tier + 1, postedWith?: Asked, fromTier = 0): Extract<Notice, { kind: 'update_dm' }>[] {
  const reviewers = new Set(after.assignments.filter((a) => a.tier >= fromTier && a.tier < belowTier).map((a) => a.userId));
  return [...reviewers].sort().map((userId) => ({ kind: 'update_dm', userId, ...(postedWith ? { postedWith } : {}) }));
}

/** What a DM sent now asks about. */
function askedNow(after: MomentView): Asked {
  return { tier: after.moment.tier, revision: after.moment.revision };
}

/**
 * The other reviewers whose DM an approval changes: those it made unnecessary (their role has what it needs), who stop
 * being asked for an approval that would count for nothing; someone in two roles now awaited in fewer (the DM names the
 * roles it asks in, as the card does); and an earlier approver whose approval the seat matching moved to another role
 * (the DM names the role it fills: two people must not each read that they filled comms' one seat).
 */
function dmsChangedBy(after: MomentView, decision: DecisionRecord): string[] {
  // The approval that completes the moment re-renders every DM as it closes it: nothing to work out (a press's cost).
  if (isRequirementMet(after)) return [];
  const before: MomentView = { ...after, decisions: after.decisions.slice(0, -1) };
  const others = (userId: string | undefined): userId is string => userId !== undefined && userId !== decision.userId;
  const stillNeeded = new Set(undecidedReviewers(after).filter(others));
  const covered = undecidedReviewers(before).filter((userId) => others(userId) && !stillNeeded.has(userId));
  // Each person's roles at this tier, read in one pass over the seats (a big group has thousands).
  const rolesByPerson = assignedRoles(currentAssignments(after), after.moment.tier);
  const rolesOf = (userId: string) => rolesByPerson.get(userId) ?? [];
  // Only someone in two roles or more can be awaited in fewer and still be awaited: the seat matching runs for those
  // few, never for a big group's every member.
  const narrowed = [...stillNeeded].filter((userId) => {
    const roles = rolesOf(userId);
    return roles.length > 1 && rolesAwaited(before, userId, roles).join() !== rolesAwaited(after, userId, roles).join();
  });
  const moved = countingApprovals(before)
    .map((d) => [d.userId, d.heldRoles] as const)
    .filter((pair): pair is readonly [string, readonly string[] | undefined] => others(pair[0]))
    .filter(([userId, held]) => roleForApproval(before, userId, held ?? rolesOf(userId)) !== roleForApproval(after, userId, held ?? rolesOf(userId)))
    .map(([userId]) => userId);
  return [...new Set([...covered, ...narrowed, ...moved])];
}

/** A DM to each reviewer to ping (but `except`), asking about the moment's tier and revision now. */
function reviewerDms(view: MomentView, why: 'review' | 'escalated' | 'revised', except?: string): Notice[] {
  const { tier, revision } = view.moment;
  return reviewersToPing(view)
    .filter((userId) => userId !== except)
    .map((userId): Notice => ({ kind: 'dm_reviewer', userId, why, tier, revision }));
}

/** Current-tier reviewers, each once; the flagger only where their own approval counts (self-approval). */
function reviewersToPing(view: MomentView): string[] {
  const users: string[] = [];
  const { flaggerId, plan } = view.moment;
  for (const a of currentAssignments(view)) {
    if (!approvalCanCount(plan, flaggerId, a.userId) || users.includes(a.userId)) continue;
    users.push(a.userId);
  }
  return users;
}

/** Whether anyone had approved the revision just replaced, at the tier deciding now: those approvals no longer count. */
function approvalsReplaced(after: MomentView): boolean {
  const { revision, tier } = after.moment;
  return after.decisions.some((d) => d.action === 'approve' && d.revision === revision - 1 && d.tier === tier);
}

function noteOf(d: { action: DecisionAction; userId: string | undefined; role: string | undefined; comment: string | undefined; tier: number }): Extract<Note, { tier: number }> {
  return { what: d.action, userId: d.userId, role: d.role, comment: d.comment, tier: d.tier };
}

/**
 * The flagger hears when people leaving a role (a user group changed) leave too few to approve their moment: the card
 * says so, but the flagger is seldom looking at it, and otherwise learns only at the deadline that it expired. Said
 * once per role that becomes short; none when no role does. `before` undefined: every role short now is news (a
 * revision, asked of its reviewers again after people left while it was being written). A role short under `before`
 * that has its people back under `after` (a user group or routing file corrected) is told too (staffed_again): the
 * flagger may otherwise withdraw a moment that can still be approved.
 */
export function noticesForShortRoles(view: MomentView, before: Roster | undefined, after: Roster | undefined): Notice[] {
  // After first: a change seldom leaves a role short, and each reading matches every seat (a big group's are hundreds).
  // A role stops being short only when someone asked in it gets it back (nobody who joins later is asked).
  const short = rolesLeftShort(view, after);
  const regained = before && after ? reviewersRegainingARole(view, before, after) : [];
  if (short.length === 0 && regained.length === 0) return [];
  const wasShort = rolesLeftShort(view, before);
  const roles = short.filter((role) => !wasShort.includes(role));
  // The flagger was told it was short (and perhaps to withdraw it): told too that it can be approved again, at this tier
  // and revision (after an escalation, another tier decides).
  const staffed = regained.length === 0 ? [] : wasShort.filter((role) => !short.includes(role));
  const { tier, revision } = view.moment;
  return [
    ...(roles.length === 0 ? [] : [{ kind: 'notify_flagger', note: { what: 'short_staffed', roles, tier, escalates: nextDecidingTier(view, after) !== undefined } } as const]),
    ...(staffed.length === 0 ? [] : [{ kind: 'notify_flagger', revision, note: { what: 'staffed_again', roles: staffed, tier } } as const]),
  ];
}

/**
 * Reviewers given back a role they are asked in (reviewersBackInRole) get a reminder: the update that gives their DM
 * its buttons back is an edit, which notifies nobody, and the DM last said nothing more was needed from them.
 */
export function remindersForReviewersBack(view: MomentView, before: Roster, after: Roster): Notice[] {
  const { tier, revision } = view.moment;
  return reviewersBackInRole(view, before, after).map((userId): Notice => ({ kind: 'remind_reviewer', userId, tier, revision }));
}

/**
 * Everything that shows an open moment's due time, re-rendered after it moved (the clock was set back): the card, every
 * reviewer's DM ("Decide by"), and the flagger's request for changes while it waits for the revision ("Send a new
 * revision by").
 */
export function noticesForMovedDue(view: MomentView): Notice[] {
  const flagger: Notice[] = awaitedRevision(view) ? [{ kind: 'update_flagger_note', revision: view.moment.revision }] : [];
  return [{ kind: 'update_card' }, ...dmUpdates(view), ...flagger];
}
