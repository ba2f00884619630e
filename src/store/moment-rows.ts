import { attachedFilesFrom, type Moment, type MomentState, type MomentStatus, type ReviewPlan, type SourceMessage, type Urgency } from '../core/moment';

// How a moment is laid out in its row: the columns it is read from, and the groups of columns a save writes.

/**
 * The columns a moment is read from, in the order of `MomentRow`. Read as an array (better-sqlite3's raw mode):
 * building a row object property by property cost more than the lookup itself (measured 20 µs against 10 µs per
 * read), and every decision, deadline and delivery reads the moment.
 */
export const MOMENT_COLUMNS = `id, topic, review_channel, flagger_id, source_channel, source_ts, title, copy, link, urgency, plan,
  status, state_by, state_comment, closed_at, tier, revision, created_at, due_at, version, source_thread_ts, source_permalink,
  source_edited, stamp, source_words, source_files`;

export type MomentRow = [
  id: number,
  topic: string,
  reviewChannel: string,
  flaggerId: string,
  sourceChannel: string | null,
  sourceTs: string | null,
  title: string,
  copy: string,
  link: string | null,
  urgency: string,
  plan: string,
  status: string,
  stateBy: string | null,
  stateComment: string | null,
  closedAt: number | null,
  tier: number,
  revision: number,
  createdAt: number,
  dueAt: number,
  version: number,
  sourceThreadTs: string | null,
  sourcePermalink: string | null,
  sourceEdited: number,
  stamp: string | null,
  sourceWords: string | null,
  sourceFiles: string | null,
];

/** The columns a save writes, by group: a save writes only the groups that changed. */
const SAVED_COLUMNS = {
  content: ['title', 'copy', 'link', 'urgency'],
  state: ['status', 'state_by', 'state_comment', 'closed_at'],
  progress: ['tier', 'revision', 'due_at'],
} as const;
export type SavedGroup = keyof typeof SAVED_COLUMNS;
const SAVED_GROUPS: readonly SavedGroup[] = ['content', 'state', 'progress'];

/** The groups whose values differ between `moment` and `read` (every group when there is no `read`). */
export function changedGroups(moment: Moment, read: Moment | undefined): SavedGroup[] {
  return SAVED_GROUPS.filter((g) => read === undefined || !sameValues(savedValues(read, g), savedValues(moment, g)));
}

/** `column = ?, ` for each column of `groups`, in the order of `savedValuesOf`. */
export function savedAssignments(groups: readonly SavedGroup[]): string {
  return groups.flatMap((g) => SAVED_COLUMNS[g]).map((c) => `${c} = ?, `).join('');
}

export function savedValuesOf(moment: Moment, groups: readonly SavedGroup[]): (string | number | null)[] {
  return groups.flatMap((g) => savedValues(moment, g));
}

/** A group's values, in the order of its columns in SAVED_COLUMNS. */
function savedValues(moment: Moment, group: SavedGroup): (string | number | null)[] {
  switch (group) {
    case 'content': {
      const { title, copy, link, urgency } = moment.content;
      return [title, copy, link ?? null, urgency];
    }
    case 'state': {
      const state = moment.state;
      const by = state.status === 'pending' ? null : (state.by ?? null);
      const comment = state.status === 'pending' ? null : (state.comment ?? null);
      return [state.status, by, comment, 'at' in state ? state.at : null];
    }
    case 'progress':
      return [moment.tier, moment.revision, moment.dueAt];
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

export function toMoment(row: MomentRow): Moment {
  const [id, topic, reviewChannel, flaggerId, sourceChannel, sourceTs, title, copy, link, urgency, plan] = row;
  const [, , , , , , , , , , , status, stateBy, stateComment, closedAt, tier, revision, createdAt, dueAt, version, sourceThreadTs, sourcePermalink, sourceEdited, stamp, sourceWords, sourceFiles] = row;
  return {
    id,
    ...(stamp === null ? {} : { stamp }),
    topic,
    reviewChannel,
    flaggerId,
    source: sourceChannel !== null && sourceTs !== null ? sourceMessage(sourceChannel, sourceTs, sourceThreadTs, sourcePermalink, sourceEdited === 1, sourceWords, sourceFiles) : undefined,
    content: { title, copy, link: link ?? undefined, urgency: parseUrgency(urgency) },
    plan: JSON.parse(plan) as ReviewPlan,
    state: toState(parseStatus(status), stateBy, stateComment, closedAt ?? createdAt),
    tier,
    revision,
    createdAt,
    dueAt,
    version,
  };
}

function sourceMessage(channel: string, ts: string, threadTs: string | null, permalink: string | null, edited: boolean, wordsSeen: string | null, filesJson: string | null): SourceMessage {
  const files = filesJson === null ? [] : attachedFilesFrom(parsedOrNothing(filesJson));
  return {
    channel,
    ts,
    ...(threadTs === null ? {} : { threadTs }),
    ...(permalink === null ? {} : { permalink }),
    ...(edited ? { edited } : {}),
    ...(wordsSeen === null ? {} : { wordsSeen }),
    ...(files.length === 0 ? {} : { files }),
  };
}

function parsedOrNothing(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function toState(status: MomentStatus, by: string | null, comment: string | null, at: number): MomentState {
  switch (status) {
    case 'pending':
      return { status };
    case 'changes_requested':
      return { status, by: by ?? '', comment: comment ?? '' };
    default:
      return { status, by: by ?? undefined, comment: comment ?? undefined, at };
  }
}

export function parseStatus(value: string): MomentStatus {
  const statuses: readonly MomentStatus[] = ['pending', 'changes_requested', 'approved', 'rejected', 'expired', 'withdrawn'];
  const found = statuses.find((s) => s === value);
  if (!found) throw new Error(`unknown moment status in the database: ${value}`);
  return found;
}

function parseUrgency(value: string): Urgency {
  return value === 'high' ? 'high' : 'normal';
}
