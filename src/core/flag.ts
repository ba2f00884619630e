import type { Assignment, Moment, MomentContent, ReviewPlan, SourceMessage } from './moment';
import type { DeadlineSpec } from './deadlines';
import { tierDeadlines } from './deadlines';
import { isBlank } from './words';
import type { Topic } from './routing-types';
import { staffingOf } from './policy';
import { assignReviewers, planFor, unstaffedRoles } from './routing';

export interface FlagRequest {
  readonly flaggerId: string;
  readonly content: MomentContent;
  readonly topic: Topic;
  readonly source: SourceMessage | undefined;
}

/** A moment ready to be stored: the store gives it its id and version. */
export interface NewMoment {
  readonly moment: Omit<Moment, 'id' | 'version'>;
  readonly assignments: readonly Assignment[];
  readonly deadlines: readonly DeadlineSpec[];
}

export type FlagResult = { readonly ok: true; readonly flagged: NewMoment } | { readonly ok: false; readonly message: string };

export const EMPTY_FLAG = 'Nothing to flag: write what to post, for example `/moment Title: the copy #topic`.';

export const NO_COPY = 'Nothing to post after the title: write the copy after the colon, for example `/moment Title: the copy #topic`.';

const NO_ROLES: ReadonlySet<string> = new Set();

/**
 * Builds a new pending moment, its reviewers for every tier and its first deadlines. Pure.
 * `unreadRoles`: roles whose members Slack has not told the directory yet (a user group or an email it could not
 * read); nobody found there may be a Slack hiccup rather than a gap in the routing file, and the refusal says which.
 */
export function flagMoment(
  request: FlagRequest,
  membersOf: (role: string) => readonly string[],
  now: number,
  unreadRoles: ReadonlySet<string> = NO_ROLES,
): FlagResult {
  // Every way in (a quick flag of only a #topic, an image's caption) must leave something to put on the card.
  if (isBlank(request.content.copy)) {
    return { ok: false, message: isBlank(request.content.title) ? EMPTY_FLAG : NO_COPY };
  }
  const plan = planFor(request.topic);
  const assignments = assignReviewers(plan, membersOf);
  const refusal = staffingRefusal(request, plan, assignments, unreadRoles);
  if (refusal !== undefined) return { ok: false, message: refusal };
  const moment: Omit<Moment, 'id' | 'version'> = {
    topic: request.topic.name,
    reviewChannel: request.topic.channel,
    flaggerId: request.flaggerId,
    source: request.source,
    content: request.content,
    plan,
    state: { status: 'pending' },
    tier: 0,
    revision: 1,
    createdAt: now,
    dueAt: now + plan.decideWithinMs,
  };
  return { ok: true, flagged: { moment, assignments, deadlines: tierDeadlines({ ...moment, id: 0, version: 0 }, now) } };
}

/**
 * Why the first tier could never be approved, or undefined when it can. A role short on its own is named with its
 * cause; otherwise roles sharing people are checked with the approval policy's own seat matching ("from distinct
 * people"), or the only member of comms and legal would approve once and legal would wait for nobody.
 */
function staffingRefusal(request: FlagRequest, plan: ReviewPlan, assignments: readonly Assignment[], unreadRoles: ReadonlySet<string>): string | undefined {
  const topic = request.topic.name;
  const missing = unstaffedRoles(plan, assignments, request.flaggerId);
  if (missing.length > 0) {
    const flaggerAlone = missing.filter((role) => assignments.some((a) => a.tier === 0 && a.role === role && a.userId === request.flaggerId));
    return unstaffedMessage(missing, topic, unreadRoles, flaggerAlone);
  }
  const { short, shortOf } = staffingOf(plan, assignments, request.flaggerId, 0);
  if (short.length === 0) return undefined;
  const needed = short.reduce((sum, role) => sum + (plan.tiers[0]?.require[role] ?? 0), 0);
  return (
    `Topic "${topic}" needs ${needed} approvals from different people for ${quoted(short)}, but only ${shortOf} ` +
    `${shortOf === 1 ? 'person' : 'people'} in these roles can approve it: ${ROUTING_FIX}`
  );
}

const ROUTING_FIX = 'ask whoever runs Greenlight to add reviewers to the role, in the routing file (read when Greenlight starts) or its Slack user group (the log names any email or group Slack does not know).';

/**
 * Why nobody can be asked, by cause: Slack not read yet (try again soon), the flagger alone in the role (their own
 * approval does not count), or nobody in the role (fix the routing file).
 */
function unstaffedMessage(missing: readonly string[], topic: string, unreadRoles: ReadonlySet<string>, flaggerAlone: readonly string[]): string {
  const unread = missing.filter((r) => unreadRoles.has(r));
  const alone = missing.filter((r) => !unreadRoles.has(r) && flaggerAlone.includes(r));
  const empty = missing.filter((r) => !unreadRoles.has(r) && !flaggerAlone.includes(r));
  const parts: string[] = [];
  if (unread.length > 0) {
    parts.push(
      `Greenlight could not read from Slack who is in ${quoted(unread)} yet, so nobody can be asked to approve for topic "${topic}". It is asking Slack again: flag this again in a minute. If it keeps happening, whoever runs Greenlight will find why in its log.`,
    );
  }
  if (alone.length > 0) {
    parts.push(
      `You are the only reviewer in ${quoted(alone)} for topic "${topic}", and your own approval does not count (the routing file's self_approval is off): someone else has to approve, so ${ROUTING_FIX}`,
    );
  }
  if (empty.length > 0) parts.push(`Nobody can approve for ${quoted(empty)} in topic "${topic}" yet: ${ROUTING_FIX}`);
  return parts.join(' ');
}

function quoted(roles: readonly string[]): string {
  return roles.map((r) => `"${r}"`).join(', ');
}
