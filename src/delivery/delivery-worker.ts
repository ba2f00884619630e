import { randomUUID } from 'node:crypto';
import { LogLevel } from '@slack/bolt';
import { AFTER_CARD_POST } from '../core/notice';
import { RepeatFilter } from '../log/repeat-filter';
import { StoreError } from '../store/open-database';
import type { PacingFacts } from '../store/moments';
import type { OutboxRow } from '../store/outbox';
import { ChannelQueues, type Keyed } from './channel-queues';
import { claimerName, hostIdentity, processIsRunning, type Claimer } from './claimer';
import { deliverRow, type Delivery, type RowDeliveryDeps } from './deliver-row';
import { OneAtATime } from './one-at-a-time';
import { PersonNames } from './person-names';
import { RecentTeamStats } from './recent-team-stats';
import { CLOCK_STEP_MS } from '../clock-step';
import { within } from '../within';
import { Pacing } from './pacing';
import { isPost, mayPost, pacingKey } from './pacing-key';
import { OTHER_PROCESSES_CHECK_MS, OtherProcesses } from './other-processes';
import { retryWhatSlackRefusedTheAppFor } from './start-recovery';
import { UnreadableRows } from './unreadable-rows';

/**
 * How long a claimed row is ours. A delivery may take longer (several calls of up to 10 s each): its claim is
 * renewed before a message goes out (see fenceSends), and its result is recorded only while it still holds it.
 */
export const CLAIM_LEASE_MS = 30_000;

/** Moments whose channels the worker remembers at once. */
const FACTS_CACHE_SIZE = 10_000;

/** Kicks within this many milliseconds share one pass: under load, one look serves many queued rows. */
const KICK_COALESCE_MS = 10;

/** Rows read per look: new rows past the last look, or the oldest open rows on a full look. */
const READ_LIMIT = 300;

/**
 * Rows held in memory while they wait for their channel (pacing, a call in flight). Beyond this, newer
 * rows stay in the database until the waiting ones drain.
 */
const MAX_WAITING = 5_000;

export interface WorkerOptions {
  /** Calls in flight at once, across all channels (one at a time per channel). */
  readonly concurrency?: number;
  /** Gap between two posts in one channel: Slack allows about one per second. */
  readonly postGapMs?: number;
  /** How often the outbox is looked at while nothing kicks the worker (rows written by another process, retries). */
  readonly pollMs?: number;
  /** Rows held in memory waiting for their channel at most (default MAX_WAITING). */
  readonly maxWaiting?: number;
  readonly random?: () => number;
  /** Whether a process id is running on this host (tests stand in for the operating system). */
  readonly isRunning?: (pid: number) => boolean;
  /** How long stop() waits for the calls in flight (default STOP_WAIT_MS). */
  readonly stopWaitMs?: number;
}

/**
 * How long a stop waits for deliveries in flight: a slow Slack (each call answered just under the client's 10 s
 * timeout, several calls to one delivery) must not hold a deploy past the supervisor's SIGKILL. A delivery cut off is
 * safe: its row stays claimed by this process, taken back at the next start, and a post among them is looked for first.
 */
export const STOP_WAIT_MS = 2_000;


/**
 * Delivers the outbox: rows in id order, each moment's lane in order, one call at a time per
 * channel, posts paced per channel, a 429 pausing only its own channel, transient failures
 * retried with backoff, permanent ones given up and logged.
 */
export class DeliveryWorker {
  /** Rows waiting for their channel, and the channels with a call in flight. */
  private readonly queues = new ChannelQueues();
  /** When each channel key may call next (post pacing and Retry-After). */
  private readonly pacing = new Pacing();
  private readonly running = new Set<Promise<void>>();
  /** Moment id -> the channels its notices go to: read once per moment, not on every look (bounded). */
  private readonly facts = new Map<number, PacingFacts | undefined>();
  /** Rows this worker scheduled for a retry -> when they come due; they are read again then. */
  private readonly retryAt = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  /** This worker on its claims: host, process, and a name unique to this worker. */
  private readonly claimer: Claimer = { host: hostIdentity(), pid: process.pid, since: Math.round(performance.timeOrigin), worker: randomUUID() };
  private readonly id = claimerName(this.claimer);
  /** Rows whose result could not be recorded: their claim is given back once the database answers again. */
  private readonly toRelease = new Set<number>();
  private scheduled = false;
  /** The largest row id any look has seen: a look for new rows reads only past it. */
  private highWater = 0;
  /**
   * When the last full look read the oldest open rows again (rows from another process, released claims);
   * set back to -Infinity to have the next pass do one.
   */
  private lastFullLookAt = Number.NEGATIVE_INFINITY;
  /** The clock at the last pass: a later pass reading much less saw the clock set back. */
  private lastPassAt = Number.NEGATIVE_INFINITY;
  private stopped = true;
  private readonly concurrency: number;
  private readonly postGapMs: number;
  private readonly pollMs: number;
  private readonly maxWaiting: number;
  private readonly random: () => number;
  private readonly isRunning: (pid: number) => boolean;
  private readonly stopWaitMs: number;
  private readonly unreadable: UnreadableRows;
  /** The other processes' claims, looked at every OTHER_PROCESSES_CHECK_MS (see OtherProcesses). */
  private readonly others: OtherProcesses;
  private lastOthersCheckAt = Number.NEGATIVE_INFINITY;
  /** Moment id -> its card's post while this worker sends it: the first DMs sent beside it wait for it to link it. */
  private readonly cardsOnTheirWay = new Map<number, Promise<void>>();
  private readonly rowDeps: RowDeliveryDeps;

  constructor(
    private readonly deps: RowDeliveryDeps,
    options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.postGapMs = options.postGapMs ?? 1050;
    this.pollMs = options.pollMs ?? 500;
    this.maxWaiting = options.maxWaiting ?? MAX_WAITING;
    this.random = options.random ?? Math.random;
    this.isRunning = options.isRunning ?? processIsRunning;
    this.stopWaitMs = options.stopWaitMs ?? STOP_WAIT_MS;
    this.unreadable = new UnreadableRows(deps.store, deps.logger);
    this.others = new OtherProcesses(deps.store, deps.logger, this.claimer, this.isRunning);
    this.rowDeps = {
      ...deps,
      cardOnItsWay: (momentId) => this.cardsOnTheirWay.get(momentId),
      renderTurns: new OneAtATime(),
      teamStats: deps.teamStats ?? new RecentTeamStats(deps.store, deps.clock),
      names: deps.names ?? new PersonNames(deps.client, deps.clock),
      startedAt: deps.clock(),
      appRefusals: new RepeatFilter(),
    };
  }

  start(): void {
    this.stopped = false;
    const { store, logger, clock } = this.deps;
    this.lastOthersCheckAt = clock();
    this.others.check(this.lastOthersCheckAt);
    // Started on a clock set back while Greenlight was down: rows it queued before wait for nothing but the clock. Rows
    // are written in time order, so the newest one's time tells.
    const now = clock();
    const newest = store.outbox.newestCreatedAt();
    if (newest !== undefined && newest > now + CLOCK_STEP_MS) this.afterClockSetBack(now, newest - now);
    retryWhatSlackRefusedTheAppFor(store, logger, now);
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

  /** Stops taking new rows and waits for the calls in flight, at most stopWaitMs; undelivered rows stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const finished = await within(
      Promise.allSettled([...this.running]).then(() => true),
      this.stopWaitMs,
      () => false,
    );
    if (!finished) {
      this.deps.logger.log(LogLevel.WARN, 'stopping with deliveries in flight; their rows are taken back at the next start', {
        inFlight: this.running.size,
        waitedMs: this.stopWaitMs,
      });
    }
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
    if (now < this.lastPassAt - CLOCK_STEP_MS) this.afterClockSetBack(now, this.lastPassAt - now);
    this.lastPassAt = now;
    try {
      this.releaseClaims();
      if (now - this.lastFullLookAt >= this.pollMs) {
        this.lastFullLookAt = now;
        this.pacing.prune(now);
        if (now - this.lastOthersCheckAt >= OTHER_PROCESSES_CHECK_MS) {
          this.lastOthersCheckAt = now;
          this.others.check(now);
        }
        this.take(this.deps.store.outbox.ready(now, READ_LIMIT, 0));
      }
      // New rows, unless memory is full: then they wait in the database until the waiting ones drain.
      let moreNew = false;
      if (this.queues.waitingCount < this.maxWaiting) {
        const fresh = this.deps.store.outbox.ready(now, READ_LIMIT, this.highWater);
        this.take(fresh);
        moreNew = fresh.length === READ_LIMIT;
      }
      for (const [id, at] of this.retryAt) {
        if (at > now) continue;
        const row = this.deps.store.outbox.openRow(id, now);
        this.retryAt.delete(id);
        if (row) this.take([row]);
      }
      this.highWater = Math.max(this.highWater, this.unreadable.handle(now));
      // Rows being claimed count as in flight: a claim is one pending commit however many rows it holds.
      const chosen = this.queues.takeHeads(this.concurrency - this.queues.inFlightCount, (key) => this.pacing.pausedUntil(key), now);
      if (chosen.length > 0) this.claimThenLaunch(chosen, now);
      if (moreNew) this.kick();
      this.schedule(this.nextWake(now));
    } catch (error) {
      // The database is locked or failing: nothing was sent; look again later.
      this.deps.logger.log(LogLevel.ERROR, 'outbox read failed', { error: String(error) });
      this.lastFullLookAt = Number.NEGATIVE_INFINITY;
      this.schedule(this.pollMs);
    }
  }

  /**
   * The clock was set back (NTP correcting a clock that ran ahead): everything timed on the old one would wait the step
   * out, posts and retries alike, for an hour after an hour's step. Pacing holds and retries start over from now, and
   * every open row the store holds for later is made due now.
   */
  private afterClockSetBack(now: number, stepMs: number): void {
    this.pacing.clear();
    this.lastFullLookAt = Number.NEGATIVE_INFINITY;
    this.lastOthersCheckAt = Number.NEGATIVE_INFINITY;
    for (const id of this.retryAt.keys()) this.retryAt.set(id, now);
    // Every open row timed for later was timed on the old clock (a Retry-After or a backoff counted from it): due now.
    this.deps.store.batched(() => this.deps.store.outbox.dueNowIfLater(now)).then(
      (rows) => {
        this.deps.logger.log(LogLevel.WARN, 'the clock was set back: delivery timing starts over from now', { stepMs, rowsMadeDue: rows });
        this.kick();
      },
      (error: unknown) => this.deps.logger.log(LogLevel.ERROR, 'rows timed before the clock was set back not made due', { error: String(error) }),
    );
  }

  /**
   * One commit claims the whole pass (another process on the database may have taken some), through the group
   * commit: under FULL its fsync runs off the event loop, and the calls start only once the claims are durable.
   * That fsync also covers the commits that queued the rows, so nothing goes to Slack that a power cut could
   * take out of the database, and a post's claim (marking it as possibly posted) survives before the post is
   * made. Meanwhile the rows count as in flight, so no pass chooses their channels again.
   */
  private claimThenLaunch(chosen: readonly Keyed[], now: number): void {
    const hold = (held: boolean) => {
      for (const keyed of chosen) this.queues.setInFlight(keyed, held);
    };
    hold(true);
    const { store } = this.deps;
    const until = now + CLAIM_LEASE_MS;
    const claiming: Promise<void> = store
      .batched(() => {
        // In the claim's own transaction: no claim commits after a newer Greenlight migrated the database (a migration
        // that reopens rows this version cannot send would see them claimed and given up again).
        store.assertSchemaKnown();
        return chosen.filter(({ row }) => store.outbox.claim(row.id, this.id, now, until, mayPost(row.notice), row));
      })
      .then(
        (claimed) => {
          hold(false);
          if (this.stopped) {
            // Stopping: the claims go back at once, so the next start need not wait out the lease.
            for (const { row } of claimed) this.toRelease.add(row.id);
            try {
              this.releaseClaims();
            } catch (error) {
              this.deps.logger.log(LogLevel.WARN, 'claims not given back at stop; they lapse with their lease', { error: String(error) });
            }
            return;
          }
          for (const keyed of claimed) this.launch(keyed, until);
        },
        (error: unknown) => {
          hold(false);
          if (error instanceof StoreError && error.code === 'newer_schema') {
            // Delivery is the newer Greenlight's now; this one is stopped by its schema watch (see watchForNewerSchema).
            this.stopped = true;
            this.deps.logger.log(LogLevel.ERROR, 'a newer Greenlight upgraded the database: this one delivers no more', { error: error.message });
            return;
          }
          // The database is locked or failing: nothing was claimed or sent. The rows wait again in memory (a
          // full look reads only the oldest open rows), and the worker looks again later.
          this.take(chosen.map(({ row }) => row));
          this.deps.logger.log(LogLevel.ERROR, 'outbox claim failed', { error: String(error) });
          this.lastFullLookAt = Number.NEGATIVE_INFINITY;
          this.schedule(this.pollMs);
        },
      )
      .finally(() => this.running.delete(claiming));
    this.running.add(claiming);
  }

  /** Gives back claims whose results could not be recorded (or that a stop left unused). */
  private releaseClaims(): void {
    for (const id of this.toRelease) {
      this.deps.store.outbox.release(id, this.id);
      this.toRelease.delete(id);
    }
  }

  /** Files rows under their channel key, oldest first, once each. */
  private take(rows: readonly OutboxRow[]): void {
    for (const row of rows) this.highWater = Math.max(this.highWater, row.id);
    this.queues.add(rows, (row) => pacingKey(row, (id) => this.factsOf(id)));
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
   * When to look again unprompted: when a waiting channel frees up, a retry or another process's row
   * comes due, or the next full look is due. Calls finishing kick the worker, so a backlog never makes
   * it spin.
   */
  private nextWake(now: number): number {
    let wake = Math.max(0, this.lastFullLookAt + this.pollMs - now);
    for (const key of this.queues.waitingKeys()) {
      const at = this.pacing.pausedUntil(key);
      if (at > now) wake = Math.min(wake, at - now);
    }
    for (const at of this.retryAt.values()) wake = Math.min(wake, Math.max(0, at - now));
    const due = this.deps.store.outbox.nextDueAt();
    if (due !== undefined && due > now) wake = Math.min(wake, due - now);
    return Math.max(wake, 5);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), ms);
    this.timer.unref();
  }

  private launch(keyed: Keyed, claimedUntil: number): void {
    const { row, key } = keyed;
    this.queues.setInFlight(keyed, true);
    const post = isPost(row.notice);
    const claim = { by: this.id, until: claimedUntil, leaseMs: CLAIM_LEASE_MS };
    const task = deliverRow(row, this.rowDeps, claim, this.random)
      .catch((error: unknown): Delivery | undefined => {
        // Bookkeeping failed (e.g. the database locked by another process): the row stays open, flagged as
        // possibly posted, so the next attempt looks before posting again; its claim is released on the next
        // look, and the row read again after it.
        this.toRelease.add(row.id);
        this.retryAt.set(row.id, this.deps.clock());
        // Past a stop that did not wait for it, the store is closed: expected, and the next start takes the row back.
        const level = this.stopped ? LogLevel.WARN : LogLevel.ERROR;
        this.deps.logger.log(level, 'delivery bookkeeping failed', { outboxId: row.id, momentId: row.momentId, error: String(error) });
        return undefined;
      })
      .then((delivery) => {
        // Only this channel waits (or, for updates, every update: Slack limits them per workspace); the others keep flowing.
        if (delivery?.rateLimitedUntil !== undefined) this.pacing.rateLimited(key, delivery.rateLimitedUntil);
        if (delivery?.retryAt !== undefined) this.retryAt.set(row.id, delivery.retryAt);
        // The gap between two posts in a channel is counted from when the last one was answered: a post that
        // waited (a DM channel opened first, a busy event loop) must not bring the next one too close to it.
        if (post) this.pacing.holdUntil(key, this.deps.clock() + this.postGapMs);
        this.queues.setInFlight(keyed, false);
        this.running.delete(task);
        if (delivery?.ending === 'done') this.followLane(row);
        this.kick();
      });
    this.running.add(task);
    if (row.notice.kind === 'post_card' && row.momentId !== undefined) {
      const momentId = row.momentId;
      this.cardsOnTheirWay.set(
        momentId,
        task.finally(() => this.cardsOnTheirWay.delete(momentId)),
      );
    }
  }

  /**
   * A finished row frees its lane: the next row of the lane, and the lane's next update (it may pass a post), if due,
   * join the waiting rows (index probes). A card's post frees the lanes that wait for it too (the flagger's
   * confirmation, the flagged message's thread).
   */
  private followLane(row: OutboxRow): void {
    if (this.stopped || row.momentId === undefined || row.lane === undefined) return;
    const momentId = row.momentId;
    const lanes = row.notice.kind === 'post_card' ? [row.lane, ...AFTER_CARD_POST] : [row.lane];
    try {
      const next = lanes.flatMap((lane) => this.deps.store.outbox.nextInLane(momentId, lane, row.id, this.deps.clock()));
      if (next.length > 0) this.take(next);
    } catch (error) {
      // The next full look finds it.
      this.lastFullLookAt = Number.NEGATIVE_INFINITY;
      this.deps.logger.log(LogLevel.ERROR, 'outbox read failed', { error: String(error) });
    }
  }
}
