import type { WebClient } from '@slack/web-api';
import type { Roster } from '../core/routing';
import type { DirectMessage } from '../store/messages';
import type { Store } from '../store/store';
import type { OneAtATime } from './one-at-a-time';
import type { PersonNames } from './person-names';
import type { RecentTeamStats } from './recent-team-stats';

export interface DeliveryDeps {
  readonly store: Store;
  readonly client: WebClient;
  readonly clock: () => number;
  /** POSTs JSON to a response_url; throws ResponseUrlError on a non-2xx answer. */
  readonly postToResponseUrl: (url: string, body: Record<string, unknown>) => Promise<void>;
  /**
   * The roles the directory gives a person now, read as each notice goes out (a retry hours later reads them again);
   * undefined, or no directory: not known, every stored assignment is trusted.
   */
  readonly rolesOf?: (userId: string) => ReadonlySet<string> | undefined;
  /** Every role's members now, so a card offers Escalate when the next tier has someone today; undefined: as at the flag. */
  readonly roster?: () => Roster | undefined;
  /**
   * Greenlight's own bot user and bot, once known: a post looked for after a lost answer must be Greenlight's, not a
   * message someone else wrote with the same metadata. Undefined (not known yet): any author is taken, as before.
   */
  readonly self?: () => { readonly botUserId: string; readonly botId: string } | undefined;
  /** Turns for renders long enough to hold the event loop (App Home): the worker's, shared by the rows it sends. */
  readonly renderTurns?: OneAtATime;
  /** The moment's card post when this worker is sending it right now; undefined otherwise (queued, done, elsewhere). */
  readonly cardOnItsWay?: (momentId: number) => Promise<void> | undefined;
  /** The team stats App Home shows (the worker's, read at most once a minute); undefined: read for each Home. */
  readonly teamStats?: RecentTeamStats;
  /** People's names, for a thread note that names the person who acted without pinging them; undefined: mentioned. */
  readonly names?: PersonNames;
  /** The emoji that flags a message (FLAG_EMOJI), named in App Home; undefined: not named. */
  readonly flagEmoji?: string;
  /**
   * When this worker started: a post an earlier process tried is looked for before it is posted (see postOnce);
   * undefined, none is.
   */
  readonly startedAt?: number;
}

/**
 * What a send learned that the store keeps (the card's ts, a DM's ts, a DM channel, a permalink): written by the
 * worker in the same batched commit as the row's result, never as a commit of its own on the event loop (under
 * FULL that was an fsync each).
 */
export type Writes = (() => void)[];

export type Sent =
  | {
      readonly kind: 'sent';
      readonly channel?: string;
      readonly ts?: string;
      readonly writes?: readonly (() => void)[];
      /** Parts Slack refused for good while the rest went (a DM it can no longer update), for the log and the row. */
      readonly refused?: readonly string[];
    }
  | { readonly kind: 'skipped'; readonly why: string };


/** Where a message Greenlight posted is: enough to update it. */
export type Posted = Pick<DirectMessage, 'channel' | 'ts'>;
