import type { WebClient } from '@slack/web-api';

/** How long a name read from Slack is used before it is read again (people rename themselves rarely). */
export const NAME_MAX_AGE_MS = 60 * 60_000;

/** The name Slack shows for a user (users.info): display name, else real name, else handle. */
export function shownName(user: { readonly name?: string; readonly real_name?: string; readonly profile?: { readonly display_name?: string } } | undefined): string | undefined {
  return user?.profile?.display_name || user?.real_name || user?.name || undefined;
}

/**
 * People's names as Slack shows them, read with users.info and kept an hour: a line naming someone without
 * notifying them (a thread note about their own press) needs their name, where a mention (`<@U…>`) would ping them.
 * A name Slack does not give (an error, a blip) is undefined, and the caller mentions the person instead.
 */
export class PersonNames {
  private readonly known = new Map<string, { readonly name: string; readonly at: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly clock: () => number,
  ) {}

  async nameOf(userId: string): Promise<string | undefined> {
    const now = this.clock();
    const cached = this.known.get(userId);
    if (cached && now >= cached.at && now - cached.at < NAME_MAX_AGE_MS) return cached.name;
    try {
      const name = shownName((await this.client.users.info({ user: userId })).user);
      if (name !== undefined) this.known.set(userId, { name, at: now });
      return name ?? cached?.name;
    } catch {
      return cached?.name;
    }
  }

  /** The names of `userIds` that Slack gives, read together. */
  async namesOf(userIds: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(userIds)];
    const names = await Promise.all(unique.map((id) => this.nameOf(id)));
    return new Map(unique.flatMap((id, i) => (names[i] === undefined ? [] : [[id, names[i]] as const])));
  }
}
