import { assertNever } from './events';
import type { DecisionAction, FinalStatus } from './moment';

/**
 * What people must be told, decided in the core and queued in the outbox in the same
 * transaction as the change. Delivery renders each one from the moment's state at send time.
 */
export type Notice =
  /** The review card in the topic's channel. */
  | { readonly kind: 'post_card' }
  /** Re-render the card in place (it always shows the latest state). */
  | { readonly kind: 'update_card' }
  /**
   * A reply in the card's thread recording what happened; `more`: further lines of the same change (a final
   * approval is the approval and the outcome), in the same reply.
   */
  | { readonly kind: 'thread_note'; readonly note: Note; readonly more?: readonly Note[] }
  /** Ephemeral confirmation to the flagger with the card's permalink. */
  | { readonly kind: 'confirm_flag'; readonly userId: string; readonly channel: string | undefined; readonly responseUrl: string | undefined }
  /**
   * DM with the decision buttons (what reaches a phone). `tier`, `revision`: what it asks about; once the moment has
   * moved on to another (a newer DM asks whoever decides now), it is not sent. Unset on rows queued before they were.
   */
  | { readonly kind: 'dm_reviewer'; readonly userId: string; readonly why: 'review' | 'escalated' | 'revised'; readonly tier?: number; readonly revision?: number }
  | { readonly kind: 'remind_reviewer'; readonly userId: string; readonly tier?: number; readonly revision?: number }
  /**
   * Re-render every DM the reviewer got about the moment: the review, each reminder, an escalation (their buttons go
   * once the moment ends). `postedWith`: the tier and revision of the DMs the same change asked them anew (queued before
   * it in their lane): those already read as they should, and are left alone.
   */
  | { readonly kind: 'update_dm'; readonly userId: string; readonly postedWith?: Asked }
  /**
   * DM to the flagger about an outcome or a request for changes; `revision`: the one changes were asked on (its
   * Revise… is offered only while that request is open, however late the DM goes out); `reminder`: the request
   * again, its revision still due.
   */
  | { readonly kind: 'notify_flagger'; readonly note: Note; readonly revision?: number; readonly reminder?: true }
  /**
   * Re-render the flagger's DMs that asked for changes on `revision`: their Revise… goes once a revision or the end
   * settles the request (DMs of earlier revisions were settled by the revision that followed them).
   */
  | { readonly kind: 'update_flagger_note'; readonly revision: number }
  /** A reply in the thread of the message that was flagged (reaction or shortcut). */
  | { readonly kind: 'source_reply'; readonly note: Note }
  /** A one-off ephemeral message to one person (refusals, "not yours"). */
  /** `threadTs`: shown in that thread (an answer to a reaction on a reply), not in the channel's main view. */
  | { readonly kind: 'ephemeral'; readonly userId: string; readonly channel: string; readonly text: string; readonly threadTs?: string }
  /** An ephemeral answer through a slash command's or interaction's response_url. */
  | { readonly kind: 'respond'; readonly responseUrl: string; readonly text: string }
  /** An answer by DM, where there is nowhere else to give it: a press in App Home has no channel and no response_url. */
  | { readonly kind: 'tell'; readonly userId: string; readonly text: string }
  /** Re-publish a person's App Home (what waits for them, what they flagged). */
  | { readonly kind: 'publish_home'; readonly userId: string };

/** Why a reviewer was DMed: the words the DM opens with, kept for every re-render while the moment is open. */
export type DmReason = 'review' | 'escalated' | 'revised' | 'remind';

const DM_REASONS: readonly DmReason[] = ['review', 'escalated', 'revised', 'remind'];

/** A stored reason read back; anything else (none recorded) reads as a first review DM. */
export function parseDmReason(raw: string): DmReason {
  return DM_REASONS.find((reason) => reason === raw) ?? 'review';
}

export type OutcomeNote = Extract<Note, { readonly what: FinalStatus }>;

/** What became of a flagged message since its flag, looked at when its approval is told. */
export type MessageSince = 'edited' | 'deleted' | 'unknown';

/** A past event, as the thread, the flagger or the source thread are told about it. */
export type Note =
  | { readonly what: 'flagged' }
  | {
      readonly what: DecisionAction;
      readonly userId: string | undefined;
      readonly role: string | undefined;
      readonly comment: string | undefined;
      readonly tier: number;
      /** Where an escalation went: not always the next tier, since a tier nobody can decide in is skipped. */
      readonly toTier?: number;
      /** A revision's: whether approvals of the revision it replaced stopped counting (notes queued before: unknown). */
      readonly voidedApprovals?: boolean;
    }
  | {
      readonly what: FinalStatus;
      readonly userId: string | undefined;
      readonly comment: string | undefined;
      /** The moment ended while waiting for its flagger's new revision (an expiry then is theirs, not the reviewers'). */
      readonly awaitingRevision?: true;
      /**
       * An approval's: what a look at the flagged message found when it was told (set then, never queued): its words
       * edited or the message deleted since it was flagged, or Slack not saying. Unset: the words are as flagged.
       */
      readonly messageSince?: MessageSince;
    }
  | {
      /** People left these roles (a user group changed) until too few are left to approve: told to the flagger. */
      readonly what: 'short_staffed';
      readonly roles: readonly string[];
      /** The tier whose roles are short (rows queued before it was kept: unknown). */
      readonly tier?: number;
      /** A later tier can still take it (escalate now, or at the deadline); else it can only expire. */
      readonly escalates: boolean;
    }
  | {
      /** Roles told short_staffed have enough people again (someone asked in them is back in them). */
      readonly what: 'staffed_again';
      readonly roles: readonly string[];
      /** The tier it was true of: after an escalation another tier decides (notes queued before it: unknown). */
      readonly tier?: number;
      /** Other roles still too short to approve it when it was sent (set by delivery): the flagger is not told "nothing to do". */
      readonly stillShort?: readonly string[];
    };

/**
 * Notices go in lanes: within a moment's lane they are delivered in order (a card update never overtakes its post). A
 * person's Home publishes share a lane outside any moment, by which one waiting publish is found (it renders the Home as
 * it is when sent, so one is enough). The flagger's confirmation and the flagged message's thread replies have lanes of
 * their own that wait only for the card's post (AFTER_CARD_POST): they link the card, but a confirmation that cannot
 * reach the flagger (their response_url failing for half an hour) must not hold back the card's updates and thread.
 */
export function laneOf(notice: Notice): string | undefined {
  switch (notice.kind) {
    case 'post_card':
    case 'update_card':
    case 'thread_note':
      return 'card';
    case 'confirm_flag':
      return 'confirm';
    case 'source_reply':
      return 'source';
    case 'dm_reviewer':
    case 'remind_reviewer':
    case 'update_dm':
      return `dm:${notice.userId}`;
    case 'notify_flagger':
    case 'update_flagger_note':
      return 'flagger';
    case 'ephemeral':
    case 'respond':
    case 'tell':
      return undefined;
    case 'publish_home':
      return `home:${notice.userId}`;
    default:
      return assertNever(notice);
  }
}

/** Lanes whose rows also wait for the moment's card post (in the `card` lane) to be done: they link the card. */
export const AFTER_CARD_POST: readonly string[] = ['confirm', 'source'];

/** The tier and revision a review DM asks about. */
export interface Asked {
  readonly tier: number;
  readonly revision: number;
}

export function sameAsked(a: Asked | undefined, b: Asked | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.tier === b.tier && a.revision === b.revision);
}
