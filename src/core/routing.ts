import { approvalCanCount, tierRoles, type Assignment, type MomentView, type ReviewPlan } from './moment';
import { DEFAULT_TOPIC, type Routing, type Topic } from './routing-types';
import { editDistance } from './words';

export interface TopicChoice {
  readonly topic: Topic;
  /** The text with a leading or trailing `#topic` removed. */
  readonly text: string;
  /** The `#tag` in the text that named the topic, if one did (see withoutTopicTag). */
  readonly tag?: string;
}

export type TopicResult = { readonly ok: true; readonly choice: TopicChoice } | { readonly ok: false; readonly message: string };

// A tag starts a line or follows a space (an ideographic one too) or an opening bracket or quote, and ends at a space,
// the end, or a sentence's punctuation ("reply now #crisis.", "#sports: Big match"). Looked behind, one character: a
// `[ \t]+` before it made every search through a long run of spaces start over at each of them.
const TAG_NAME = '[a-z0-9][a-z0-9_-]*';
const HASH_TAG = new RegExp(`(?<=^|[^\\S\\n]|[(\\[{"'“‘])#(${TAG_NAME})(?=$|\\s|[.,;:!?)\\]}"'”’])`, 'gim');

/** A sentence's punctuation, which may follow a trailing tag ("Go team #sports!"). */
const SENTENCE_END = /^[.,;:!?]+$/;

/** Only hashtags: the run a post's closing hashtags make ("… tip-off at 8! #sports #GameDay"), or an opening run. */
const TAGS_AFTER = new RegExp(`^(?:[^\\S\\n]+#${TAG_NAME})+[.!?]?$`, 'i');
const TAGS_BEFORE = new RegExp(`^(?:#${TAG_NAME}[^\\S\\n]+)+$`, 'i');
const HORIZONTAL_SPACE = /[^\S\n]/;

/**
 * A moment's topic: the one named (modal choice or `#topic` in the text), else the first
 * topic whose keyword appears in the text, else `default`. Other hashtags stay in the text.
 */
export function chooseTopic(routing: Routing, text: string, named?: string, plainText: string = text): TopicResult {
  let rest = text;
  let wanted = named;
  let tagged: string | undefined;
  if (wanted === undefined) {
    const match = firstTagNaming(text, (tag) => routing.topics.some((t) => t.name === tag));
    if (match !== undefined) {
      wanted = tagged = match[1]?.toLowerCase();
      rest = textWithoutTag(text, match);
    }
  }
  if (wanted !== undefined) {
    const topic = routing.topics.find((t) => t.name === wanted);
    if (!topic) return { ok: false, message: `There is no topic named "${wanted}". Topics: ${topicNames(routing)}.` };
    return { ok: true, choice: { topic, text: rest, ...(tagged === undefined ? {} : { tag: tagged }) } };
  }
  // Keywords are looked for in the words as typed (`plainText`): a message's text as Slack sends it escapes "M&A".
  const lower = plainText.toLowerCase();
  const byKeyword = routing.topics.find((t) => t.name !== DEFAULT_TOPIC && t.keywords.some((k) => containsWord(lower, k)));
  const topic = byKeyword ?? routing.topics.find((t) => t.name === DEFAULT_TOPIC);
  if (!topic) return { ok: false, message: 'The routing file has no default topic.' };
  return { ok: true, choice: { topic, text: rest } };
}

/**
 * `text` without its `#tag` for `tag`, as chooseTopic takes out the tag that named a moment's topic: a flagged message's
 * words read again later compare with what they were at the flag as they were then read (see SourceMessage.wordsSeen).
 */
export function withoutTopicTag(text: string, tag: string): string {
  const match = firstTagNaming(text, (name) => name === tag);
  return match === undefined ? text : textWithoutTag(text, match);
}

function firstTagNaming(text: string, names: (tag: string) => boolean): RegExpExecArray | undefined {
  for (const match of text.matchAll(HASH_TAG)) {
    const tag = match[1]?.toLowerCase();
    if (tag !== undefined && names(tag)) return match;
  }
  return undefined;
}

/** The text without the tag `match` found: a leading or trailing one (or among the post's hashtags) goes, one inside a sentence stays. */
function textWithoutTag(text: string, match: RegExpExecArray): string {
  // A leading or trailing tag is an instruction and goes, with the spaces before it (the copy keeps its line breaks);
  // one inside a sentence is part of what the flagger wrote, and stays.
  const before = text.slice(0, match.index);
  const after = text.slice(match.index + match[0].length);
  // A colon right after a leading tag goes with it ("#sports: Big match"), nothing else of the words ("-20%", a list's
  // first dash). A sentence's punctuation after a trailing tag stays the sentence's, unless it ends on its own.
  const ending = after.trim();
  if (before.trim() === '') return after.replace(/^:/, '').trim();
  if (ending === '') return before.trim();
  if (SENTENCE_END.test(ending)) return /[.,;:!?]$/.test(before.trimEnd()) ? before.trim() : `${before.trimEnd()}${ending}`.trim();
  // Among a post's closing (or opening) hashtags it is an instruction too: it goes with the spaces on its far side, the
  // other hashtags stay, and so does the line they are on.
  if (TAGS_AFTER.test(after)) return `${before}${after.trimStart()}`.trim();
  if (TAGS_BEFORE.test(before) && after.trim() !== '') return `${before.trimEnd()}${after.replace(/^:/, '')}`.trim();
  return text;
}

/**
 * A leading or trailing `#tag` in a quick flag that names no topic but is a letter or two off one (`#crsis`): a
 * mistyped topic, which would otherwise send the moment to other reviewers than meant. Other hashtags (`#WorldCup`)
 * are the flagger's words, and so is every hashtag once one tag names a topic. Returns the first such tag at the start
 * or the end, or among the post's opening or closing hashtags (the runs TAGS_BEFORE and TAGS_AFTER accept), and the
 * topic it is closest to.
 */
export function mistypedTopicTag(routing: Routing, text: string): { readonly tag: string; readonly meant: string } | undefined {
  type Found = { readonly tag: string; readonly meant: string };
  const trimmed = text.trim();
  const closest = new Map<string, Found | undefined>();
  const mistyped = (tag: string): Found | undefined => {
    if (!closest.has(tag)) {
      const meant = closestTopic(routing, tag);
      closest.set(tag, meant === undefined ? undefined : { tag, meant });
    }
    return closest.get(tag);
  };
  // One pass, keeping no match: a message of 13,000 tags looked at each tag's surroundings, and held every match, for
  // 20 ms of the event loop.
  let inOpening = false;
  let openingFound: Found | undefined;
  let runFound: Found | undefined; // the first mistyped tag of the run of tags the latest tag stands in
  let lastFound: Found | undefined;
  let lastEnd: number | undefined;
  for (const match of trimmed.matchAll(HASH_TAG)) {
    const tag = match[1]?.toLowerCase();
    if (tag === undefined) continue;
    // A tag naming a topic decides the topic: any other hashtag is then the flagger's own.
    if (routing.topics.some((t) => t.name === tag)) return undefined;
    const joined = lastEnd !== undefined && spacesOnly(trimmed, lastEnd, match.index);
    inOpening = lastEnd === undefined ? match.index === 0 : inOpening && joined;
    if (!joined) runFound = undefined;
    lastFound = mistyped(tag);
    if (inOpening) openingFound ??= lastFound;
    runFound ??= lastFound;
    lastEnd = match.index + match[0].length;
  }
  if (lastEnd === undefined) return undefined;
  const tail = trimmed.slice(lastEnd);
  if (openingFound) return openingFound;
  if (/^[.!?]?$/.test(tail)) return runFound;
  return SENTENCE_END.test(tail) ? lastFound : undefined;
}

/**
 * The text with the mistyped tag (as mistypedTopicTag found it) written as the topic it is closest to, wherever it
 * stands as a tag: what the person meant to send, given back to send again (Slack has cleared what they typed).
 */
export function withMeantTopicTag(text: string, mistyped: { readonly tag: string; readonly meant: string }): string {
  return text.trim().replace(HASH_TAG, (whole: string, tag: string) => (tag.toLowerCase() === mistyped.tag ? `#${mistyped.meant}` : whole));
}

/** The topic a tag naming none is a letter or two off (two for names of 7 letters or more), if any. */
function closestTopic(routing: Routing, tag: string): string | undefined {
  return routing.topics.find((t) => {
    const allowed = t.name.length >= 7 ? 2 : 1;
    // Lengths further apart than the edits allowed cannot match, and skip the distance table.
    return t.name.length >= 4 && Math.abs(t.name.length - tag.length) <= allowed && editDistance(tag, t.name) <= allowed;
  })?.name;
}

/** Whether text[from, to) is one or more spaces or tabs, no line break: two hashtags of one run. */
function spacesOnly(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at += 1) if (!HORIZONTAL_SPACE.test(text.charAt(at))) return false;
  return to > from;
}

export function topicNames(routing: Routing): string {
  return routing.topics.map((t) => t.name).join(', ');
}

/** Scripts written without spaces between words: a keyword in them is found anywhere in the text. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Keyword match on word boundaries, so "recall" does not match "recalls" only by accident of substrings; a keyword in
 * a script written without spaces (リコール, 召回) has no boundaries to look for, and is matched anywhere.
 */
function containsWord(haystack: string, keyword: string): boolean {
  if (UNSPACED_SCRIPT.test(keyword)) return haystack.includes(keyword);
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(haystack);
}

/** The rules a moment of this topic is reviewed by, fixed at flag time. */
export function planFor(topic: Topic): ReviewPlan {
  return {
    tiers: [{ require: { ...topic.require } }, ...topic.escalateTo.map((role) => ({ require: { [role]: 1 } }))],
    decideWithinMs: topic.decideWithinMs,
    remindAtFraction: topic.remindAtFraction,
    selfApproval: topic.selfApproval,
  };
}

/** Every tier's reviewers, from the directory's current members of each role. */
export function assignReviewers(plan: ReviewPlan, membersOf: (role: string) => readonly string[]): Assignment[] {
  const assignments: Assignment[] = [];
  plan.tiers.forEach((tier, index) => {
    for (const role of Object.keys(tier.require)) {
      for (const userId of new Set(membersOf(role))) assignments.push({ tier: index, role, userId });
    }
  });
  return assignments;
}

/**
 * The directory's word on who is in each role now, as plain values. `unread`: roles Slack has not answered for yet
 * (a user group it could not read since the start), where nobody listed may be a hiccup rather than an empty role.
 */
export interface Roster {
  readonly members: ReadonlyMap<string, readonly string[]>;
  readonly unread: ReadonlySet<string>;
  /**
   * Until when a deadline that depends on an unread role waits for it to be read (see waitsForUnreadRoles): set by the
   * deadline scanner, a while after the start. Unset: nothing waits.
   */
  readonly unreadWaitUntil?: number;
}

/** Whether two rosters put the same people in every role and leave the same roles unread. */
export function sameRoster(a: Roster, b: Roster): boolean {
  return changedRoles(a, b).size === 0;
}

/** The roles two rosters tell apart: read in one and not the other, known to one only, or with other people in them. */
export function changedRoles(a: Roster, b: Roster): Set<string> {
  const changed = new Set<string>();
  for (const role of new Set([...a.unread, ...b.unread])) if (a.unread.has(role) !== b.unread.has(role)) changed.add(role);
  for (const role of new Set([...a.members.keys(), ...b.members.keys()])) {
    const mine = a.members.get(role);
    const theirs = b.members.get(role);
    if (mine === undefined || theirs === undefined) {
      changed.add(role);
      continue;
    }
    const other = new Set(theirs);
    if (other.size !== new Set(mine).size || mine.some((id) => !other.has(id))) changed.add(role);
  }
  return changed;
}

/**
 * Whether `roster` has a person in a role, as `rolesIn(roster, userId).has(role)` says (a role unread or unknown is
 * trusted), with each role's members read into a set once: asked for every reviewer of a big group, a scan of every
 * role's list per person grew with the square of the group.
 */
export function rosterHolds(roster: Roster): (userId: string, role: string) => boolean {
  const sets = new Map<string, Set<string>>();
  return (userId, role) => {
    if (trustsAssigned(roster, role)) return true;
    let set = sets.get(role);
    if (set === undefined) {
      set = new Set(roster.members.get(role));
      sets.set(role, set);
    }
    return set.has(userId);
  };
}

/**
 * Whether `roster` cannot say who is in `role`, so the people assigned to it are trusted: a role not read yet, or one
 * the routing file no longer names (see HeldRoles).
 */
function trustsAssigned(roster: Roster, role: string): boolean {
  return roster.unread.has(role) || !roster.members.has(role);
}

/**
 * The roster to save as the one the open messages show, from `roster` (the directory's) and the one saved before,
 * `shown`: a role not read yet keeps the members `shown` had for it (read, or kept so before), the people the messages
 * drawn before it went unread name; with none known, it has no members at all. Trusted all the same while unread
 * (trustsAssigned), these let the read that settles it tell who came back or left meanwhile (lastKnownRoster).
 */
export function withLastKnown(roster: Roster, shown: Roster | undefined): Roster {
  const members = new Map(roster.members);
  for (const role of roster.unread) {
    const last = shown?.members.get(role);
    if (last === undefined) members.delete(role);
    else members.set(role, last);
  }
  return { members, unread: roster.unread };
}

/**
 * `shown` (saved by withLastKnown) with each unread role whose last members are known, and that `now` has read, read as
 * those members: what the messages drawn before it went unread showed, to compare the read that settles it with. A role
 * still unread in `now` stays unread: nobody can say yet who came back to it or left.
 */
export function lastKnownRoster(shown: Roster, now: Roster): Roster {
  const unread = new Set([...shown.unread].filter((role) => !shown.members.has(role) || now.unread.has(role)));
  return unread.size === shown.unread.size ? shown : { members: shown.members, unread };
}

/**
 * `roster` with each role it has not read yet taken from `known` where that one had read it: a role Slack has not
 * answered for since a start is not news that its members changed (and must not give back buttons to someone known to
 * have left it). The next read settles it.
 */
export function knownWhereUnread(roster: Roster, known: Roster): Roster {
  const members = new Map(roster.members);
  const unread = new Set<string>();
  for (const role of roster.unread) {
    const last = known.members.get(role);
    if (known.unread.has(role) || last === undefined) unread.add(role);
    else members.set(role, last);
  }
  return { members, unread };
}

/**
 * The roles a person holds, as a set whose `has` also says yes for a role the roster does not know: one renamed or
 * removed in the routing file while moments that need it are open. Nobody can say who is in it now, so the people
 * assigned to it at the flag keep deciding in it, as the moment keeps the rules it was flagged with. Iterating lists
 * the known roles only.
 */
export class HeldRoles extends Set<string> {
  constructor(
    roles: Iterable<string>,
    private readonly known: ReadonlyMap<string, unknown>,
  ) {
    super(roles);
  }

  override has(role: string): boolean {
    return super.has(role) || !this.known.has(role);
  }
}

/** The roles `userId` may hold under `roster`: those it lists them in, and every role not read yet or not known (trusted). */
export function rolesIn(roster: Roster, userId: string): Set<string> {
  const roles = new Set(roster.unread);
  for (const [role, members] of roster.members) if (members.includes(userId)) roles.add(role);
  return new HeldRoles(roles, roster.members);
}

/**
 * Who reviews at `tier` of a moment. Without a roster, the people assigned when it was flagged. With one, the tier's
 * roles as they are now: someone who joined the leads after the flag is asked when the moment reaches them, someone
 * who left is not (they could no longer decide). A role not read yet, or no longer named by the routing file (see
 * HeldRoles), keeps the people assigned at the flag.
 */
export function tierReviewers(view: MomentView, tier: number, roster: Roster | undefined): Assignment[] {
  const stored = view.assignments.filter((a) => a.tier === tier);
  if (roster === undefined) return stored;
  const reviewers: Assignment[] = [];
  for (const role of tierRoles(view.moment.plan, tier)) {
    const kept = trustsAssigned(roster, role) ? stored.filter((a) => a.role === role).map((a) => a.userId) : [];
    for (const userId of new Set([...kept, ...(roster.members.get(role) ?? [])])) reviewers.push({ tier, role, userId });
  }
  return reviewers;
}

/** A seat's identity within one tier (its role and its person), to tell assignments apart in sets. */
export function seatKey(a: Pick<Assignment, 'role' | 'userId'>): string {
  return `${a.role}\n${a.userId}`;
}

/** The people an escalation to `tier` assigns: its reviewers now who were not assigned there at the flag. */
export function seatsToAdd(view: MomentView, tier: number, roster: Roster | undefined): Assignment[] {
  const assigned = new Set(view.assignments.filter((a) => a.tier === tier).map(seatKey));
  return tierReviewers(view, tier, roster).filter((a) => !assigned.has(seatKey(a)));
}

/**
 * Roles of the first tier with fewer people able to approve than they need, each counted alone: no members, or
 * only the flagger when self-approval is off. Roles that share people are checked by `staffingOf` (policy).
 */
export function unstaffedRoles(plan: ReviewPlan, assignments: readonly Assignment[], flaggerId: string): string[] {
  const first = plan.tiers[0];
  if (!first) return [];
  return Object.entries(first.require)
    .filter(([role, needed]) => {
      const able = assignments.filter((a) => a.tier === 0 && a.role === role && approvalCanCount(plan, flaggerId, a.userId));
      return able.length < needed;
    })
    .map(([role]) => role);
}
