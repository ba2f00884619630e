import type { Assignment, Moment, MomentContent, SourceMessage } from './moment';
import type { DeadlineSpec } from './deadlines';
import { tierDeadlines } from './deadlines';
import type { Topic } from './routing-types';
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
  if (request.content.title.trim() === '' && request.content.copy.trim() === '') {
    return { ok: false, message: EMPTY_FLAG };
  }
  const plan = planFor(request.topic);
  const assignments = assignReviewers(plan, membersOf);
  const missing = unstaffedRoles(plan, assignments, request.flaggerId);
  if (missing.length > 0) return { ok: false, message: unstaffedMessage(missing, request.topic.name, unreadRoles) };
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

/** Why nobody can be asked, by cause: Slack not read yet (try again soon) or nobody in the role (fix the routing file). */
function unstaffedMessage(missing: readonly string[], topic: string, unreadRoles: ReadonlySet<string>): string {
  const names = (roles: readonly string[]) => roles.map((r) => `"${r}"`).join(', ');
  const unread = missing.filter((r) => unreadRoles.has(r));
  const empty = missing.filter((r) => !unreadRoles.has(r));
  const parts: string[] = [];
  if (unread.length > 0) {
    parts.push(
      `Greenlight could not read from Slack who is in ${names(unread)} yet, so nobody can be asked to approve for topic "${topic}". It is asking Slack again: flag this again in a minute. If it keeps happening, whoever runs Greenlight will find why in its log.`,
    );
  }
  if (empty.length > 0) {
    parts.push(`Nobody can approve for ${names(empty)} in topic "${topic}" yet: ask whoever runs Greenlight to add reviewers to the routing file.`);
  }
  return parts.join(' ');
}
