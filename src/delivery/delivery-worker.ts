import { randomUUID } from 'node:crypto';
import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import type { PacingFacts } from '../store/moments';
import type { OutboxRow } from '../store/outbox';
import { backoffMs, MAX_ATTEMPTS } from './backoff';
import { classifyFailure, type Failure } from './failure';
import { isPost, pacingKey, sendNotice, type DeliveryDeps, type Sent } from './send-notice';

/** How long a claimed row is ours: longer than a look-up plus a post, each bounded by the client's 10 s timeout. */
export const CLAIM_LEASE_MS = 30_000;

/** Moments whose channels the worker remembers at once. */
const FACTS_CACHE_SIZE = 10_000;

/** Kicks within this many milliseconds share one pass: under load, one look serves many queued rows. */
const KICK_COALESCE_MS = 10;

/** Open rows read per pass: enough to reach every channel's head row in a burst, few enough to stay cheap. */
const READ_LIMIT = 300;

export interface WorkerOptions {
  /** Calls in flight at once, across all channels (one at a time per channel). */
  readonly concurrency?: number;
  /** Gap between two posts in one channel: Slack allows about one per second. */
  readonly postGapMs?: number;
  /** How often the outbox is looked at while nothing kicks the worker (rows written by another process, retries). */
  readonly pollMs?: number;
  readonly random?: () => number;
}

/**
 * Delivers the outbox: rows in id order, each moment's lane in order, one call at a time per
 * channel, posts paced per channel, a 429 pausing only its own channel, transient failures
 * retried with backoff, permanent ones given up and logged.
 */
export class DeliveryWorker {
  private readonly busyKeys = new Set<string>();
  private readonly inFlightRows = new Set<number>();
  /** Channel key -> earliest time the next call may go (post pacing and Retry-After). */
  private readonly notBefore = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  /** Moment id -> the channels its notices go to: read once per moment, not on every look (bounded). */
  private readonly facts = new Map<number, PacingFacts | undefined>();
  private timer: NodeJS.Timeout | undefined;
  /** This worker's name on its claims, unique per process start. */
  private readonly id = randomUUID();
  /** Rows whose result could not be recorded: their claim is given back once the database answers again. */
  private readonly toRelease = new Set<number>();
  private scheduled = false;
  /** The largest row id any look has seen: a kick for new rows reads only past it. */
  private highWater = 0;
  /** A call finished or time passed: the next look reads from the oldest open row again. */
  private fullLookDue = true;
  private stopped = true;
  private readonly concurrency: number;
  private readonly postGapMs: number;
  private readonly pollMs: number;
  private readonly random: () => number;

  constructor(
    private readonly deps: DeliveryDeps & { readonly logger: StructuredLogger },
    options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.postGapMs = options.postGapMs ?? 1050;
    this.pollMs = options.pollMs ?? 500;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /**
   * Something was queued: look soon. Kicks close together coalesce into one look, and a look for new
   * rows reads only past the rows already seen, so a backlog waiting on busy channels is not re-read
   * for every request; calls finishing and timers bring full looks.
   */
  kick(): void {
    if (this.stopped || this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.pump();
    }, KICK_COALESCE_MS).unref();
  }

  /** Stops taking new rows and waits for the calls in flight; undelivered rows stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
  }

  /** Resolves when nothing is in flight and no open row is due before `horizonMs` from now (tests, demo). */
  async settled(timeoutMs = 10_000, horizonMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.deps.store.outbox.nextDueAt();
      const idle = this.running.size === 0 && (next === undefined || next > this.deps.clock() + horizonMs);
      if (idle) return;
      if (Date.now() > deadline) throw new Error(`delivery did not settle within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.deps.clock();
    try {
      for (const id of this.toRelease) {
        this.deps.store.outbox.release(id, this.id);
        this.toRelease.delete(id);
      }
      const chosen: { row: OutboxRow; key: string }[] = [];
      const keysChosen = new Set<string>();
      const rows = this.deps.store.outbox.ready(now, READ_LIMIT, this.fullLookDue ? 0 : this.highWater);
      this.fullLookDue = false;
      for (const row of rows) this.highWater = Math.max(this.highWater, row.id);
      for (const row of rows) {
        if (this.running.size + chosen.length >= this.concurrency) break;
        if (this.inFlightRows.has(row.id)) continue;
        const key = pacingKey(row, (id) => this.factsOf(id));
        if (this.busyKeys.has(key) || keysChosen.has(key) || (this.notBefore.get(key) ?? 0) > now) continue;
        keysChosen.add(key);
        chosen.push({ row, key });
      }
      // One transaction claims the whole pass (another process on the database may have taken some);
      // nothing to claim, no write at all.
      const claimed =
        chosen.length === 0
          ? []
          : this.deps.store.transaction(() =>
              chosen.filter(({ row }) => this.deps.store.outbox.claim(row.id, this.id, now, now + CLAIM_LEASE_MS, isPost(row.notice))),
            );
      for (const { row, key } of claimed) this.launch(row, key);
      this.schedule(this.nextWake(now));
    } catch (error) {
      // The database is locked or failing: nothing was sent; look again later.
      this.deps.logger.log(LogLevel.ERROR, 'outbox read failed', { error: String(error) });
      this.schedule(this.pollMs);
    }
  }

  private factsOf(momentId: number): PacingFacts | undefined {
    if (this.facts.has(momentId)) return this.facts.get(momentId);
    // A moment's channels never change; the cache is simply dropped when it grows large.
    if (this.facts.size >= FACTS_CACHE_SIZE) this.facts.clear();
    const facts = this.deps.store.moments.pacingFacts(momentId);
    this.facts.set(momentId, facts);
    return facts;
  }

  /**
   * When to look again unprompted: when a paced channel frees up or a retry comes due. Rows already due
   * but waiting (on a busy channel, an earlier row of their lane, a free slot) are looked at when a call
   * finishes, so a backlog never makes the worker spin.
   */
  private nextWake(now: number): number {
    let wake = this.pollMs;
    for (const at of this.notBefore.values()) if (at > now) wake = Math.min(wake, at - now);
    const due = this.deps.store.outbox.nextDueAt();
    if (due !== undefined && due > now) wake = Math.min(wake, due - now);
    return Math.max(wake, 5);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fullLookDue = true;
      this.pump();
    }, ms);
    this.timer.unref();
  }

  private launch(row: OutboxRow, key: string): void {
    this.busyKeys.add(key);
    this.inFlightRows.add(row.id);
    const post = isPost(row.notice);
    const task = this.deliver(row, key)
      .catch((error: unknown) => {
        // Bookkeeping failed (e.g. the database locked by another process): the row stays open, flagged as
        // possibly posted, so the next attempt looks before posting again; its claim is released on the next look.
        this.toRelease.add(row.id);
        this.deps.logger.log(LogLevel.ERROR, 'delivery bookkeeping failed', { outboxId: row.id, momentId: row.momentId, error: String(error) });
      })
      .finally(() => {
        // The gap between two posts in a channel is counted from when the last one was answered: a post that
        // waited (a DM channel opened first, a busy event loop) must not bring the next one too close to it.
        if (post) this.notBefore.set(key, Math.max(this.notBefore.get(key) ?? 0, this.deps.clock() + this.postGapMs));
        this.busyKeys.delete(key);
        this.inFlightRows.delete(row.id);
        this.running.delete(task);
        this.fullLookDue = true;
        this.kick();
      });
    this.running.add(task);
  }

  private async deliver(row: OutboxRow, key: string): Promise<void> {
    const { store, clock, logger } = this.deps;
    const fields = { outboxId: row.id, momentId: row.momentId, notice: row.notice.kind, attempt: row.attempts + 1 };
    // A card re-render followed by another one is redundant: the later one shows the latest state.
    if (row.notice.kind === 'update_card' && store.outbox.hasLaterOfKind(row)) {
      await store.batched(() => store.outbox.markSkipped(row.id, clock(), 'superseded by a later update'));
      return;
    }
    let sent: Sent;
    try {
      sent = await sendNotice(row, this.deps);
    } catch (error) {
      await this.recordFailure(row, key, classifyFailure(error), fields);
      return;
    }
    // Results are recorded through the group commit: many deliveries share one commit.
    if (sent.kind === 'skipped') {
      await store.batched(() => store.outbox.markSkipped(row.id, clock(), sent.why));
      logger.log(LogLevel.DEBUG, 'notice skipped', { ...fields, why: sent.why });
    } else {
      const result = sent.channel && sent.ts ? { channel: sent.channel, ts: sent.ts } : undefined;
      await store.batched(() => store.outbox.markSent(row.id, clock(), result));
      logger.log(LogLevel.DEBUG, 'notice delivered', fields);
    }
  }

  private async recordFailure(row: OutboxRow, key: string, failure: Failure, fields: Record<string, unknown>): Promise<void> {
    const { store, clock, logger } = this.deps;
    const now = clock();
    if (failure.kind === 'rate_limited') {
      // Only this channel waits; the others keep flowing.
      this.notBefore.set(key, now + failure.retryAfterMs);
      // A 429 means this call did not land; an earlier attempt that may have is still looked for.
      await store.batched(() => store.outbox.scheduleRetry(row.id, now + failure.retryAfterMs, failure.error, row.uncertain, now));
      logger.log(LogLevel.WARN, 'rate limited, channel paused', { ...fields, retryAfterMs: failure.retryAfterMs });
    } else if (failure.kind === 'permanent' || row.attempts + 1 >= MAX_ATTEMPTS) {
      await store.batched(() => store.outbox.markFailed(row.id, now, failure.error));
      logger.log(LogLevel.ERROR, 'notice given up', { ...fields, error: failure.error });
    } else {
      const at = now + backoffMs(row.attempts, this.random);
      await store.batched(() => store.outbox.scheduleRetry(row.id, at, failure.error, failure.uncertain || row.uncertain, now));
      logger.log(LogLevel.WARN, 'notice will be retried', { ...fields, error: failure.error, uncertain: failure.uncertain });
    }
  }
}
