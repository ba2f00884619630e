import type {
  EphemeralMessage,
  OpenedView,
  ResponseUrlPost,
  StandInOptions,
  StandInUser,
  StoredMessage,
} from './stand-in-types';

export interface StandInConfig {
  teamDomain: string;
  teamId: string;
  botUserId: string;
  botId: string;
  archived: ReadonlySet<string>;
  missing: ReadonlySet<string>;
}

export interface ViewRecord {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  /** Set for views opened with views.open / views.push (openedViews()). */
  triggerId?: string;
  /** Set for Home tabs (views.publish). */
  userId?: string;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

export const isUserId = (id: string): boolean => USER_ID.test(id);

/** Everything the stand-in remembers about the workspace; method handlers read and change it. */
export class StandInState {
  readonly config: StandInConfig;
  readonly users = new Map<string, StandInUser>();
  readonly usergroups = new Map<string, string[]>();
  messages: StoredMessage[] = [];
  ephemerals: EphemeralMessage[] = [];
  responses: ResponseUrlPost[] = [];
  /** response_url keys past their life (Slack's last 30 minutes): posts to them are answered 404 expired_url. */
  readonly expiredResponseUrls = new Set<string>();
  readonly views = new Map<string, ViewRecord>();
  readonly homeViews = new Map<string, ViewRecord>();
  /** Trigger ids are single use in Slack: a second views.open with the same one is refused. */
  readonly usedTriggers = new Set<string>();
  private lastTsSec = 0;
  private tsCounter = 0;
  private viewCounter = 0;

  constructor(options: StandInOptions) {
    this.config = {
      teamDomain: options.teamDomain ?? 'greenlight-sandbox',
      teamId: options.teamId ?? 'T0SANDBOX',
      botUserId: options.botUserId ?? 'U0GREENLIGHT',
      botId: 'B0GREENLIGHT',
      archived: new Set(options.archivedChannels ?? []),
      missing: new Set(options.missingChannels ?? []),
    };
    for (const user of options.users ?? []) {
      this.users.set(user.id, user);
    }
    for (const [id, members] of Object.entries(options.usergroups ?? {})) {
      this.usergroups.set(id, [...members]);
    }
  }

  /**
   * Slack-shaped ts ("1732478400.000100"): seconds from the clock, then a counter that never goes back,
   * so every ts is unique and sorts after the previous one even within one second.
   */
  nextTs(now: number): string {
    const sec = Math.max(Math.floor(now / 1000), this.lastTsSec);
    this.tsCounter += 1;
    if (this.tsCounter > 999_999) {
      this.tsCounter = 1;
      this.lastTsSec = sec + 1;
    } else {
      this.lastTsSec = sec;
    }
    return `${this.lastTsSec}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  nextViewId(): { id: string; hash: string } {
    this.viewCounter += 1;
    const n = String(this.viewCounter).padStart(6, '0');
    return { id: `V0SB${n}`, hash: `${Date.now()}.${n}` };
  }

  /** The bot's DM with a user: derived from the user id, so it is stable across calls and resets. */
  dmChannelFor(user: string): string {
    return `D${user}`;
  }

  /** A user id stands for the bot's DM with that user (chat.postMessage accepts it); channel ids pass through. */
  resolveChannel(channel: string): string {
    return isUserId(channel) ? this.dmChannelFor(channel) : channel;
  }

  /** Why a channel cannot be used, as Slack's error code, or undefined when it can. */
  channelProblem(channel: string | undefined, opts: { write: boolean }): string | undefined {
    if (channel === undefined || !CHANNEL_ID.test(channel) || this.config.missing.has(channel)) {
      return 'channel_not_found';
    }
    if (opts.write && this.config.archived.has(channel)) {
      return 'is_archived';
    }
    return undefined;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  replyCount(channel: string, ts: string): number {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === ts && m.ts !== ts).length;
  }

  openedViews(): OpenedView[] {
    const opened: OpenedView[] = [];
    for (const record of this.views.values()) {
      if (record.triggerId !== undefined) {
        opened.push({ triggerId: record.triggerId, view: record.view, id: record.id });
      }
    }
    return opened;
  }

  /** Forgets what happened; keeps the directory (users, user groups) and the ts clock, which never goes back. */
  clear(): void {
    this.messages = [];
    this.ephemerals = [];
    this.responses = [];
    this.expiredResponseUrls.clear();
    this.views.clear();
    this.homeViews.clear();
    this.usedTriggers.clear();
  }
}
