import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { HeldRoles, sameRoster, type Roster } from '../core/routing';
import type { Routing } from '../core/routing-types';
import { classifyFailure, operatorFix, platformErrorOf } from '../delivery/failure';
import type { StructuredLogger } from '../log/logger';
import type { GroupDepartures } from './group-departures';

/** What to do about an entry of the routing file Slack does not know: the file is read once, at start. */
const ROUTING_FILE_FIX = 'correct it in the routing file, then restart Greenlight';

/**
 * How long a user ID found active, or an email found, is taken as read before Slack is asked again: Greenlight runs
 * for months, and someone who leaves the company is deactivated meanwhile (an email then finds nobody). An hour, as
 * people's names are: a handful of calls an hour, where asking at every five-minute refresh would be hundreds.
 */
export const RECHECK_PEOPLE_MS = 60 * 60_000;

/**
 * Who is in each role right now: user IDs from the routing file (each checked to be an active person, again every
 * RECHECK_PEOPLE_MS; one Slack does not know or has deactivated is left out and asked about again on every refresh),
 * emails looked up (again every RECHECK_PEOPLE_MS), user groups re-read on every refresh. Listeners read the last
 * snapshot and never wait on Slack.
 *
 * A group or email Slack has never answered for (a 429 or an outage while Greenlight starts) makes
 * its role unread: nobody listed there may be a hiccup, not someone removed from the role.
 */
export class Directory {
  private members = new Map<string, string[]>();
  private roles = new Map<string, Set<string>>();
  /** Each email of the routing file Slack found, with the user ID and when it was looked up. */
  private readonly emailIds = new Map<string, { readonly userId: string; readonly at: number }>();
  /** User IDs of the routing file Slack confirmed as active people, with when it last did. */
  private readonly activeIds = new Map<string, number>();
  /** User IDs Slack does not know or has deactivated: out of their roles, asked about again on every read. */
  private goneIds: ReadonlySet<string> = new Set();
  /** Gone user IDs the log was told about, by role and ID, so a refresh every few minutes does not say it again. */
  private readonly goneTold = new Set<string>();
  /** Emails and user groups Slack said are unknown, as told to the log (by role and entry): said once while they stay so. */
  private readonly unknownTold = new Set<string>();
  /** Emails Slack last said it finds nobody for: they stay so through a lookup Slack does not answer. */
  private readonly missingEmails = new Set<string>();
  /** Last known members of each user group, kept when a refresh cannot read it. */
  private groupMembers = new Map<string, string[]>();
  /** Roles with a group or email never read from Slack: their membership is unknown. */
  private unread: ReadonlySet<string> = new Set();
  private retryAfter = 0;
  /** The read under way, and the one queued behind it (see refresh). */
  private reading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** Told when a refresh changes who is in a role (see onRosterChange). */
  private rosterListener: ((before: Roster, after: Roster) => Promise<void>) | undefined;
  /** What the last read could not read, kept so a change applied between reads rebuilds the same way. */
  private unreadGroups: ReadonlySet<string> = new Set();
  private unreadEmails: ReadonlySet<string> = new Set();
  /** Reads started so far: a removal Slack told of applies to every read that started before it (see leftGroup). */
  private readsStarted = 0;
  /**
   * For each user group, the newest departure written when the last read Slack answered for it started: those up to it
   * are in Slack's answer. Numbers, not times: a clock set back (or another host's) would make old news look new.
   */
  private readonly groupReadAfter = new Map<string, number>();
  /** The roster before news from another process was applied, until a read tells the listener (see catchUp). */
  private untoldSince: Roster | undefined;
  /** Set while the synchronous run that read the other processes' news goes on (see catchUp). */
  private caughtUp = false;
  private removals: { readonly group: string; readonly userIds: ReadonlySet<string>; readonly afterRead: number }[] = [];

  constructor(
    private readonly routing: Routing,
    private readonly client: WebClient,
    private readonly logger: StructuredLogger,
    private readonly clock: () => number = Date.now,
    /** Shares user group changes with the other processes on the database (see GroupDepartures); none in tests of one. */
    private readonly departures?: Pick<GroupDepartures, 'tell' | 'news' | 'latest'>,
  ) {
    this.rebuild(new Map(), new Set(), new Set());
  }

  /** Every role's members, replaced whole on refresh: what a new moment's reviewers are chosen from. */
  membersByRole(): ReadonlyMap<string, readonly string[]> {
    this.catchUp();
    return this.members;
  }

  /** Every role's members and the roles not read yet, as plain values: what an escalation seats its tier from. */
  roster(): Roster {
    this.catchUp();
    return this.snapshot();
  }

  /**
   * The roles `userId` may hold: the roles Slack says they are in, plus every role not read yet (a group or email
   * Slack has not answered for), where the stored assignment is trusted so a hiccup at start does not turn assigned
   * reviewers away as "not yours". Only the unread roles are trusted: someone removed from a role that was read
   * cannot decide for it because another role's group is unread.
   */
  rolesOf(userId: string): ReadonlySet<string> {
    this.catchUp();
    // A role the routing file no longer names is held by whoever was assigned it (see HeldRoles).
    return new HeldRoles([...(this.roles.get(userId) ?? []), ...this.unread], this.members);
  }

  /** Roles whose members Slack has not told us yet (empty once every group and email was read once). */
  unreadRoles(): ReadonlySet<string> {
    return this.unread;
  }

  /** The longest Retry-After Slack asked for in the last refresh, in ms (0 when it asked for none). */
  retryAfterMs(): number {
    return this.retryAfter;
  }

  /**
   * Calls `listener` after a refresh that changed a role's members or whether it is read, with the roster before and
   * after, so what shows the roster (open cards) can catch up; the refresh resolves once the listener has. Not for
   * the reads before it is set: what shows the roster was rendered by then from the directory as it is. The listener
   * handles its own failures.
   */
  onRosterChange(listener: (before: Roster, after: Roster) => Promise<void>): void {
    this.rosterListener = listener;
  }

  /** Whether `usergroup` is one the routing file names (a change to any other is none of Greenlight's business). */
  watchesGroup(usergroup: string): boolean {
    return Object.values(this.routing.roles).some((role) => role.usergroups.includes(usergroup));
  }

  /**
   * Slack says a user group changed and who left it: they are out of it at once, before the read of the group that
   * follows, so a press of theirs in the meantime is refused (the read may take seconds on a slow or rate-limited
   * Slack). A read that started before the news does not bring them back; one that started after it is Slack's word.
   * The other processes on the database are told too (see GroupDepartures). Resolves once what shows the roster (open
   * cards, DMs) has caught up, as after a refresh.
   */
  async leftGroup(group: string, userIds: readonly string[]): Promise<void> {
    if (!this.watchesGroup(group)) return;
    const told = this.departures?.tell({ usergroup: group, userIds });
    const change = this.applyDeparture(group, userIds);
    if (change && this.rosterListener) await this.rosterListener(change.before, change.after);
    await told;
  }

  /**
   * Applies what other processes were told of user groups since the last look, and reads the groups again. The cards
   * and DMs are brought up to date after that read, not before: the news may be old by then (the person put back since,
   * which the process Slack told has shown already), and the cards would be turned one way and back. They are shared,
   * and the first process to start on a change takes it (see refreshCardsForRoster), so this one queues nothing when
   * the process Slack told did, and does it when that one could not (stopped, or its database busy). News written
   * before this process's last read of its group started is left alone: Slack answered that read after the change
   * (someone put back since is not taken out again).
   */
  private catchUp(): void {
    // Once per synchronous run: a press asks for the presser's roles and the roster together, one read is enough.
    if (!this.departures || this.caughtUp) return;
    this.caughtUp = true;
    queueMicrotask(() => (this.caughtUp = false));
    const news = this.departures.news().filter(({ id, usergroup }) => id > (this.groupReadAfter.get(usergroup) ?? 0));
    if (news.length === 0) return;
    this.untoldSince ??= this.snapshot();
    for (const { usergroup, userIds } of news) this.applyDeparture(usergroup, userIds);
    // Who joined is learnt from Slack, as the process it told does.
    void this.refresh();
  }

  /** Takes people out of a group until a read that started after the news; the roster before and after, if it changed. */
  private applyDeparture(group: string, userIds: readonly string[]): { before: Roster; after: Roster } | undefined {
    const leaving = new Set(userIds);
    if (leaving.size === 0 || !this.groupMembers.has(group)) return undefined;
    this.removals.push({ group, userIds: leaving, afterRead: this.readsStarted });
    const before = this.snapshot();
    this.rebuild(withoutRemovals(this.groupMembers, this.removals), this.unreadGroups, this.unreadEmails);
    const after = this.snapshot();
    return sameRoster(before, after) ? undefined : { before, after };
  }

  private snapshot(): Roster {
    return { members: this.members, unread: this.unread };
  }

  /**
   * Reads user IDs, emails and user groups again (user IDs and emails once an hour, see RECHECK_PEOPLE_MS). Reads never overlap, so an older answer cannot overwrite a newer one; a
   * refresh asked for during a read waits for one more read after it (the running one may have asked Slack
   * before the change), shared by everyone who asks meanwhile. Never rejects: a failure is logged here, once for
   * every caller (the regular refresh, a user group's change).
   */
  refresh(): Promise<void> {
    if (!this.reading) {
      this.reading = this.readAll()
        .catch((error: unknown) => this.logger.log(LogLevel.ERROR, 'refreshing reviewers failed', { error: String(error) }))
        .finally(() => (this.reading = undefined));
      return this.reading;
    }
    this.queued ??= this.reading.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  /**
   * Checks user IDs, resolves emails and reads user groups. A lookup Slack does not answer keeps what it last said (the
   * person in or out of their role), and is logged while the entry was never answered for; Slack finding nobody takes
   * the person out.
   */
  private async readAll(): Promise<void> {
    this.readsStarted += 1;
    const read = this.readsStarted;
    const now = this.clock();
    const departuresBefore = this.departures?.latest() ?? 0;
    const recent = (at: number | undefined) => at !== undefined && now - at < RECHECK_PEOPLE_MS;
    const groups = new Map<string, string[]>();
    /** The groups Slack answered for in this read. */
    const answered: string[] = [];
    const unreadGroups = new Set<string>();
    const unreadEmails = new Set<string>();
    let retryAfter = 0;
    // A permanent answer ("no such user", "no such group") is known: nobody. Anything else may pass.
    const passing = (error: unknown): boolean => {
      const failure = classifyFailure(error);
      if (failure.kind === 'rate_limited') retryAfter = Math.max(retryAfter, failure.retryAfterMs);
      return failure.kind !== 'permanent';
    };
    const gone = new Set<string>();
    // Each ID asked about once a read, though several roles list it; each role's entry is said (each is a line to fix).
    const checks = new Map<string, Promise<UserIdCheck>>();
    for (const source of Object.values(this.routing.roles)) {
      for (const userId of source.userIds) {
        const confirmedAt = this.activeIds.get(userId);
        if (recent(confirmedAt)) continue;
        // A typo or someone who left: without a look, they would be DMed in vain and a moment would wait on nobody.
        const checking = checks.get(userId) ?? this.checkUserId(userId);
        checks.set(userId, checking);
        const checked = await checking;
        const told = `${source.name}\u0000${userId}`;
        if (checked.kind === 'active') {
          this.activeIds.set(userId, now);
          this.goneTold.delete(told);
          continue;
        }
        if (checked.kind === 'gone') {
          // Deactivated since it was found active: out of its role from this read on.
          this.activeIds.delete(userId);
          gone.add(userId);
          // Said once while it stays gone: the read comes back every few minutes.
          if (this.goneTold.has(told)) continue;
          this.goneTold.add(told);
          this.logger.log(LogLevel.WARN, 'reviewer user ID is not an active person in Slack: left out of its role', { role: source.name, userId, error: checked.why, fix: ROUTING_FILE_FIX });
          continue;
        }
        // Not answered (a blip, a missing scope): the ID keeps what Slack last said of it, and is asked about at the next
        // read. One never answered for is trusted and stays in its role.
        passing(checked.error);
        // Gone when Slack last answered (deactivated, unknown): still out of its role, and told already.
        if (this.goneIds.has(userId)) {
          gone.add(userId);
          continue;
        }
        // Found active before: only a check again that Slack did not answer, nothing the operator need do.
        if (confirmedAt !== undefined) continue;
        this.logger.log(LogLevel.WARN, 'reviewer user ID could not be checked in Slack', { role: source.name, userId, error: errorText(checked.error), fix: operatorFix(checked.error) });
      }
      for (const email of source.emails) {
        const known = this.emailIds.get(email);
        if (recent(known?.at)) continue;
        const told = `${source.name}\u0000email\u0000${email}`;
        try {
          const found = await this.client.users.lookupByEmail({ email });
          if (found.user?.id) this.emailIds.set(email, { userId: found.user.id, at: now });
          this.unknownTold.delete(told);
          this.missingEmails.delete(email);
        } catch (error) {
          const unread = passing(error);
          // A lookup Slack did not answer keeps what it last said: the person found, or nobody. Asked at the next read.
          if (unread && (known || this.missingEmails.has(email))) continue;
          // Slack finds nobody (a typo, or someone deactivated since): out of the role.
          if (!unread) {
            this.emailIds.delete(email);
            this.missingEmails.add(email);
          }
          if (unread) unreadEmails.add(email);
          // Said once while Slack keeps finding nobody: the read comes back every few minutes.
          if (!unread && this.unknownTold.has(told)) continue;
          if (!unread) this.unknownTold.add(told);
          const message = unread ? 'reviewer email could not be looked up in Slack' : 'reviewer email not found in Slack';
          // The email as written in the routing file: with several in a role, the operator must know which one to fix.
          this.logger.log(LogLevel.WARN, message, { role: source.name, email, error: errorText(error), fix: unread ? operatorFix(error) : ROUTING_FILE_FIX });
        }
      }
      for (const group of source.usergroups) {
        const told = `${source.name}\u0000group\u0000${group}`;
        try {
          const found = await this.client.usergroups.users.list({ usergroup: group });
          groups.set(group, found.users ?? []);
          answered.push(group);
          this.unknownTold.delete(told);
        } catch (error) {
          const unread = passing(error);
          // Only Slack saying the group does not exist means it is gone (deleted, a wrong ID): it has nobody, so its
          // former members no longer decide for the role. Any other failure (a blip, a refusal, a proxy's 404) keeps
          // the members last read.
          const gone = platformErrorOf(error) === 'no_such_subteam';
          const message = gone ? 'user group not found in Slack: check its ID in the routing file' : 'user group could not be read';
          // A group Slack does not know is said once while it stays unknown: the read comes back every few minutes.
          const toldBefore = gone && this.unknownTold.has(told);
          if (gone) this.unknownTold.add(told);
          if (!toldBefore) {
            this.logger.log(LogLevel.WARN, message, { role: source.name, usergroup: group, error: errorText(error), fix: gone ? ROUTING_FILE_FIX : operatorFix(error) });
          }
          const previous = this.groupMembers.get(group);
          if (gone) groups.set(group, []);
          else if (previous) groups.set(group, previous);
          else if (unread) unreadGroups.add(group);
        }
      }
    }
    this.retryAfter = retryAfter;
    this.goneIds = gone;
    // Removals Slack told of after this read started still hold; those it answered after are in its answer.
    this.removals = this.removals.filter((removal) => removal.afterRead >= read);
    for (const group of answered) this.groupReadAfter.set(group, departuresBefore);
    const untold = this.untoldSince;
    this.untoldSince = undefined;
    const before = untold ?? this.snapshot();
    this.rebuild(withoutRemovals(groups, this.removals), unreadGroups, unreadEmails);
    const after = this.snapshot();
    // After news from another process, even when this read found nothing more: the roster the messages show may still be
    // the one before it, if the process Slack told could not update them.
    if (this.rosterListener && (untold !== undefined || !sameRoster(before, after))) await this.rosterListener(before, after);
  }

  /** Whether Slack knows `userId` as an active person: `gone` for no such user or a deactivated account. */
  private async checkUserId(userId: string): Promise<UserIdCheck> {
    try {
      const found = await this.client.users.info({ user: userId });
      if (found.user?.deleted === true) return { kind: 'gone', why: 'deactivated' };
      // A bot's or an app's user (a workflow's, pasted by mistake) can be neither DMed nor press a button: nobody decides.
      if (found.user?.is_bot === true || found.user?.is_app_user === true) return { kind: 'gone', why: 'a bot, not a person' };
      return { kind: 'active' };
    } catch (error) {
      return platformErrorOf(error) === 'user_not_found' ? { kind: 'gone', why: 'user_not_found' } : { kind: 'unanswered', error };
    }
  }

  private rebuild(groups: Map<string, string[]>, unreadGroups: ReadonlySet<string>, unreadEmails: ReadonlySet<string>): void {
    this.groupMembers = groups;
    this.unreadGroups = unreadGroups;
    this.unreadEmails = unreadEmails;
    const members = new Map<string, string[]>();
    const roles = new Map<string, Set<string>>();
    const unread = new Set<string>();
    for (const source of Object.values(this.routing.roles)) {
      if (source.usergroups.some((g) => unreadGroups.has(g)) || source.emails.some((e) => unreadEmails.has(e))) unread.add(source.name);
      const ids = new Set<string>(source.userIds.filter((id) => !this.goneIds.has(id)));
      for (const email of source.emails) {
        const found = this.emailIds.get(email);
        if (found) ids.add(found.userId);
      }
      for (const group of source.usergroups) for (const id of groups.get(group) ?? []) ids.add(id);
      members.set(source.name, [...ids]);
      for (const id of ids) {
        const set = roles.get(id) ?? new Set<string>();
        set.add(source.name);
        roles.set(id, set);
      }
    }
    this.members = members;
    this.roles = roles;
    this.unread = unread;
  }
}

/** What Slack says of a user ID of the routing file (see checkUserId). */
type UserIdCheck = { readonly kind: 'active' } | { readonly kind: 'gone'; readonly why: string } | { readonly kind: 'unanswered'; readonly error: unknown };

/** `groups` with the people Slack said left each taken out. */
function withoutRemovals(groups: ReadonlyMap<string, string[]>, removals: readonly { readonly group: string; readonly userIds: ReadonlySet<string> }[]): Map<string, string[]> {
  const result = new Map(groups);
  for (const { group, userIds } of removals) {
    const members = result.get(group);
    if (members) result.set(group, members.filter((id) => !userIds.has(id)));
  }
  return result;
}

function errorText(error: unknown): string {
  const data = typeof error === 'object' && error !== null && 'data' in error ? (error as { data?: { error?: unknown } }).data : undefined;
  return typeof data?.error === 'string' ? data.error : String(error);
}
