import type { OutboxRow } from '../store/outbox';

/** A row and the pacing key of the channel it goes to. */
export interface Keyed {
  readonly row: OutboxRow;
  readonly key: string;
}

/**
 * The worker's memory of what to send: per channel key, the rows ready to go (nothing earlier open in their lane),
 * oldest first, and which channels and rows have a call in flight. Held here so a backlog on one channel is never
 * re-read from the database, and never hides another channel's rows behind it.
 */
export class ChannelQueues {
  private readonly waiting = new Map<string, OutboxRow[]>();
  private readonly waitingIds = new Set<number>();
  private readonly busyKeys = new Set<string>();
  private readonly inFlightRows = new Set<number>();

  /** Rows waiting in memory. */
  get waitingCount(): number {
    return this.waitingIds.size;
  }

  /** Rows with a call (or the claim before it) in flight. */
  get inFlightCount(): number {
    return this.inFlightRows.size;
  }

  /** Files rows under their channel key, oldest first, once each (rows in flight or waiting already are left). */
  add(rows: readonly OutboxRow[], keyOf: (row: OutboxRow) => string): void {
    for (const row of rows) {
      if (this.inFlightRows.has(row.id) || this.waitingIds.has(row.id)) continue;
      const key = keyOf(row);
      const queue = this.waiting.get(key);
      if (!queue) {
        this.waiting.set(key, [row]);
      } else {
        let at = queue.length;
        while (at > 0 && queue[at - 1].id > row.id) at -= 1;
        queue.splice(at, 0, row);
      }
      this.waitingIds.add(row.id);
    }
  }

  /**
   * Takes the head row of every channel that is free (no call in flight, not paused at `now`), oldest first, as
   * many as `slots`: they leave the waiting rows.
   */
  takeHeads(slots: number, pausedUntil: (key: string) => number, now: number): Keyed[] {
    if (slots <= 0) return [];
    const heads: Keyed[] = [];
    for (const [key, queue] of this.waiting) {
      if (this.busyKeys.has(key) || pausedUntil(key) > now) continue;
      heads.push({ row: queue[0], key });
    }
    heads.sort((a, b) => a.row.id - b.row.id);
    const chosen = heads.slice(0, slots);
    for (const { row, key } of chosen) this.remove(row, key);
    return chosen;
  }

  /** Marks a row's call (or claim) in flight, or over: its channel is busy meanwhile. */
  setInFlight({ row, key }: Keyed, inFlight: boolean): void {
    if (inFlight) {
      this.busyKeys.add(key);
      this.inFlightRows.add(row.id);
    } else {
      this.busyKeys.delete(key);
      this.inFlightRows.delete(row.id);
    }
  }

  /** The keys with rows waiting. */
  waitingKeys(): IterableIterator<string> {
    return this.waiting.keys();
  }

  private remove(row: OutboxRow, key: string): void {
    const queue = this.waiting.get(key);
    if (!queue) return;
    const at = queue.findIndex((r) => r.id === row.id);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.waiting.delete(key);
    this.waitingIds.delete(row.id);
  }
}
