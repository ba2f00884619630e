/**
 * Domain values of a moment. Plain data: no Slack, no SQL, no clock.
 */

export type FinalStatus = 'approved' | 'rejected' | 'expired' | 'withdrawn';
export type MomentStatus = 'pending' | 'changes_requested' | FinalStatus;
export type Urgency = 'normal' | 'high';

export const FINAL_STATUSES: readonly FinalStatus[] = ['approved', 'rejected', 'expired', 'withdrawn'];

export function isFinal(status: MomentStatus): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** Whether `userId`'s approval can count on a moment: anyone's but its flagger's, and the flagger's too with self-approval. */
export function approvalCanCount(plan: Pick<ReviewPlan, 'selfApproval'>, flaggerId: string, userId: string): boolean {
  return plan.selfApproval || userId !== flaggerId;
}

/** The roles that decide at `tier`: how people are told where a moment went ("escalated to leads"), never "tier 2". */
export function tierRoles(plan: Pick<ReviewPlan, 'tiers'>, tier: number): string[] {
  return Object.keys(plan.tiers[tier]?.require ?? {});
}

/** What the flagger wrote; a revision replaces it. Kept whole in the store, cut only on the card. */
export interface MomentContent {
  readonly title: string;
  readonly copy: string;
  readonly link: string | undefined;
  readonly urgency: Urgency;
}

/** One tier's requirement: role -> approvals from distinct people. */
export interface TierPlan {
  readonly require: Readonly<Record<string, number>>;
}

/**
 * The review plan fixed when the moment is flagged, so a later edit of the routing
 * file never changes the rules of a moment already under review.
 */
export interface ReviewPlan {
  /** tiers[0] is the topic's roles; tiers[k] for k >= 1 is one escalation role, any one member decides. */
  readonly tiers: readonly TierPlan[];
  readonly decideWithinMs: number;
  readonly remindAtFraction: number;
  readonly selfApproval: boolean;
}

export type MomentState =
  | { readonly status: 'pending' }
  | { readonly status: 'changes_requested'; readonly by: string; readonly comment: string }
  | {
      readonly status: FinalStatus;
      /** Who closed it; undefined when the clock did (expired). */
      readonly by: string | undefined;
      readonly comment: string | undefined;
      readonly at: number;
    };

export interface SourceMessage {
  readonly channel: string;
  readonly ts: string;
  /** When the message is a reply in a thread: the thread's parent, where Greenlight's notes about it go. */
  readonly threadTs?: string;
  /** The message's link, for the card to lead reviewers back to it (none when Slack did not give it). */
  readonly permalink?: string;
  /** The flagger changed the message's words in the flag form: what reviewers decide on is not what the message says. */
  readonly edited?: true;
  /**
   * The fingerprint of the message's words when it was flagged: other words found when its approval is told were
   * edited in Slack since, after the reviewers read them. Unset for moments flagged before it was kept.
   */
  readonly wordsSeen?: string;
  /**
   * What the message carries beside its words (images, videos, files), as Slack named them at the flag: reviewers
   * must open the message to see them, and are told so. Unset when it carries none, or for moments flagged before.
   */
  readonly files?: readonly AttachedFile[];
}

/** A file a flagged message carries: its name as Slack shows it, and what kind of thing it is. */
export interface AttachedFile {
  readonly name: string;
  readonly kind: 'image' | 'video' | 'audio' | 'file';
}

const FILE_KINDS: ReadonlySet<string> = new Set(['image', 'video', 'audio', 'file']);

/** Files as kept (in the database, a form's origin) read back; anything else in the list is left out. */
export function attachedFilesFrom(value: unknown): AttachedFile[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((file: unknown): AttachedFile[] => {
    if (typeof file !== 'object' || file === null) return [];
    const { name, kind } = file as { name?: unknown; kind?: unknown };
    return typeof name === 'string' && typeof kind === 'string' && FILE_KINDS.has(kind) ? [{ name, kind: kind as AttachedFile['kind'] }] : [];
  });
}

export interface Moment {
  readonly id: number;
  /**
   * A short random mark its buttons carry beside its id, given when it is stored: a press on a button of another moment
   * that had the same id (in a database since restored from a backup, or replaced) is refused. None on moments stored
   * before stamps were.
   */
  readonly stamp?: string;
  readonly topic: string;
  readonly reviewChannel: string;
  readonly flaggerId: string;
  readonly source: SourceMessage | undefined;
  readonly content: MomentContent;
  readonly plan: ReviewPlan;
  readonly state: MomentState;
  readonly tier: number;
  readonly revision: number;
  readonly createdAt: number;
  /** When the current tier (or the flagger's edit window) runs out. */
  readonly dueAt: number;
  /** Optimistic-concurrency counter: every stored change bumps it. */
  readonly version: number;
}

export interface Assignment {
  readonly tier: number;
  readonly role: string;
  readonly userId: string;
}

export type DecisionAction =
  | 'approve'
  | 'reject'
  | 'request_changes'
  | 'escalate'
  | 'withdraw'
  | 'revise'
  | 'timeout';

/** One line of the append-only decision log. */
export interface DecisionRecord {
  /** undefined when the clock acted (a timeout). */
  readonly userId: string | undefined;
  readonly role: string | undefined;
  readonly action: DecisionAction;
  readonly comment: string | undefined;
  readonly revision: number;
  readonly tier: number;
  readonly at: number;
  /**
   * An approval's roles at its tier that its person held when pressing: the seats it may fill. Someone asked in comms
   * and legal who has left legal approves for comms only. undefined: not an approval, or recorded before this was kept
   * (every role they were assigned).
   */
  readonly heldRoles?: readonly string[];
}

/** Everything the core needs to decide about one moment. */
export interface MomentView {
  readonly moment: Moment;
  readonly assignments: readonly Assignment[];
  readonly decisions: readonly DecisionRecord[];
}
