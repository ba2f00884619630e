import { randomUUID } from 'node:crypto';
import { LogLevel } from '@slack/bolt';
import type { Backend } from '../backend/backend-ops';
import type { StructuredLogger } from '../log/logger';

/** A user group's members Slack said left it. */
export interface Departure {
  readonly usergroup: string;
  readonly userIds: readonly string[];
}

/** A departure another process was told, as numbered in the database (in the order they were written). */
export interface News extends Departure {
  readonly id: number;
}

/**
 * Shares the people who left a reviewer user group among the Greenlight processes on one database. Slack sends
 * `subteam_members_changed` to one process only (one HTTP request, or one of the Socket Mode connections); the others
 * would keep the person in the role until their next read of the group, minutes later, and let them decide meanwhile.
 * The process Slack told writes the departure; every other one reads what is new before each press it checks.
 */
export class GroupDepartures {
  /** This process, as its rows name it: it applied them when Slack told it, and skips them when reading. */
  private readonly self = randomUUID();
  private lastSeen: number;

  constructor(
    private readonly backend: Pick<Backend, 'recordGroupDeparture' | 'groupDeparturesSince' | 'latestGroupDeparture'>,
    private readonly logger: StructuredLogger,
  ) {
    // Departures written before this process reads its groups for the first time are in Slack's answer to that read
    // (and should this read fail, the directory skips those written before its first read: see Directory.catchUp).
    this.lastSeen = this.read(() => backend.latestGroupDeparture(), 0);
  }

  /** Slack told this process: the others read it before their next press. */
  async tell(departure: Departure): Promise<void> {
    try {
      await this.backend.recordGroupDeparture(departure.usergroup, departure.userIds, this.self);
    } catch (error) {
      // This process applied it already; the others catch up at their next read of the group, as before.
      this.logger.log(LogLevel.WARN, 'could not tell the other processes that people left a user group', { usergroup: departure.usergroup, error: String(error) });
    }
  }

  /** What other processes were told since the last call, oldest first. Synchronous: a press is checked against it. */
  news(): News[] {
    const rows = this.read(() => this.backend.groupDeparturesSince(this.lastSeen), []);
    const last = rows[rows.length - 1];
    if (last) this.lastSeen = last.id;
    return rows.filter((row) => row.toldBy !== this.self).map(({ id, usergroup, userIds }) => ({ id, usergroup, userIds }));
  }

  /** The number of the newest departure written so far (0 for none, or when it cannot be read). */
  latest(): number {
    return this.read(() => this.backend.latestGroupDeparture(), 0);
  }

  private read<T>(work: () => T, otherwise: T): T {
    try {
      return work();
    } catch (error) {
      // A read failing here fails the press's own write as well; the next press reads again.
      this.logger.log(LogLevel.WARN, 'could not read which people left a user group in other processes', { error: String(error) });
      return otherwise;
    }
  }
}
