import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Routing } from '../core/routing-types';
import type { StructuredLogger } from '../log/logger';

/**
 * Who is in each role right now: user IDs from the routing file, emails looked up once, user
 * groups re-read on every refresh. Listeners read the last snapshot and never wait on Slack.
 */
export class Directory {
  private members = new Map<string, string[]>();
  private roles = new Map<string, Set<string>>();
  private readonly emailIds = new Map<string, string>();
  /** Last known members of each user group, kept when a refresh cannot read it. */
  private groupMembers = new Map<string, string[]>();

  constructor(
    private readonly routing: Routing,
    private readonly client: WebClient,
    private readonly logger: StructuredLogger,
  ) {
    this.rebuild(new Map());
  }

  /** Every role's members, replaced whole on refresh: what a new moment's reviewers are chosen from. */
  membersByRole(): ReadonlyMap<string, readonly string[]> {
    return this.members;
  }

  rolesOf(userId: string): ReadonlySet<string> {
    return this.roles.get(userId) ?? new Set();
  }

  /** Resolves emails and user groups; a failed lookup keeps what was known before and is logged. */
  async refresh(): Promise<void> {
    const groups = new Map<string, string[]>();
    for (const source of Object.values(this.routing.roles)) {
      for (const email of source.emails) {
        if (this.emailIds.has(email)) continue;
        try {
          const found = await this.client.users.lookupByEmail({ email });
          if (found.user?.id) this.emailIds.set(email, found.user.id);
        } catch (error) {
          this.logger.log(LogLevel.WARN, 'reviewer email not found in Slack', { role: source.name, error: errorText(error) });
        }
      }
      for (const group of source.usergroups) {
        try {
          const found = await this.client.usergroups.users.list({ usergroup: group });
          groups.set(group, found.users ?? []);
        } catch (error) {
          this.logger.log(LogLevel.WARN, 'user group could not be read', { role: source.name, usergroup: group, error: errorText(error) });
          const previous = this.groupMembers.get(group);
          if (previous) groups.set(group, previous);
        }
      }
    }
    this.rebuild(groups);
  }

  private rebuild(groups: Map<string, string[]>): void {
    this.groupMembers = groups;
    const members = new Map<string, string[]>();
    const roles = new Map<string, Set<string>>();
    for (const source of Object.values(this.routing.roles)) {
      const ids = new Set<string>(source.userIds);
      for (const email of source.emails) {
        const id = this.emailIds.get(email);
        if (id) ids.add(id);
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
  }
}

function errorText(error: unknown): string {
  const data = typeof error === 'object' && error !== null && 'data' in error ? (error as { data?: { error?: unknown } }).data : undefined;
  return typeof data?.error === 'string' ? data.error : String(error);
}
