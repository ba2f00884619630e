import { LogLevel } from '@slack/bolt';
import { UNREAD_ROLE_WAIT_MS } from '../core/deadlines';
import { assertNever } from '../core/events';
import type { Roster } from '../core/routing';
import type { Fields, StructuredLogger } from '../log/logger';
import { CLOCK_STEP_MS } from '../clock-step';
import { RepeatFilter } from '../log/repeat-filter';
import { CronTimer } from './cron-timer';
import type { Store } from '../store/store';
import { moveDeadlinesBack, scheduledMarks, type UndoneJump } from '../workflow/move-deadlines-back';
import { NOTHING_DUE, sweepDeadlines, SWEEP_BUDGET_MS, workBudget, type DeadlineOutcome, type SweepResult } from '../workflow/sweep-deadlines';

/** Handled request ids are kept a day: Slack retries within minutes, replays older than 5 minutes fail the signature check. */
const SEEN_TTL_MS = 24 * 60 * 60 * 1000;
/** Delivered outbox rows are kept a week for troubleshooting, then forgotten. */
const OUTBOX_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Forgetting old rows is housekeeping: every ten minutes is plenty (the outbox then a stretch per sweep until done). */
const PRUNE_EVERY_MS = 10 * 60 * 1000;
/** How often the wall clock is compared with the monotonic one (see CLOCK_STEP_MS for how far they may drift apart). */
const CLOCK_WATCH_MS = 1000;
/**
 * How long a jump forward may be undone by a step back (see afterJumpForward): a clock set ahead by mistake is set right
 * within the day. Past that, a step back corrects a clock that ran ahead since, as if no jump had been.
 */
const JUMP_UNDONE_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * Deadlines live in the database; the sweep's timer (CronTimer) only triggers a sweep. A missed tick loses nothing:
 * the next sweep finds everything due since.
 */
export class DeadlineScanner {
  /** Plans the sweeps; undefined until started, and once stopped. */
  private ticks: CronTimer | undefined;
  /** Watches the wall clock against the monotonic one (see watchClock). */
  private clockWatch: NodeJS.Timeout | undefined;
  private lastPruneAt = 0;
  /** Where the outbox prune in progress goes on (one stretch of rows per sweep); undefined between prunes. */
  private pruneAfter: number | undefined;
  private readonly failureReports = new RepeatFilter();
  /** A sweep that left work over has the next one queued right after the requests waiting meanwhile. */
  private continuing = false;
  /** Who is in each role now, once the directory has started; until then timeouts ask the people assigned at the flag. */
  private roster: (() => Roster) | undefined;
  /** Until when a due deadline waits for a role the directory has not read (see waitsForUnreadRoles); set by useRoster. */
  private unreadWaitUntil: number | undefined;
  /**
   * The wall clock's jumps forward not undone yet, newest first, each with what was flagged and scheduled before it (see
   * afterJumpForward).
   */
  private jumpsForward: (UndoneJump & { readonly seenAt: number })[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly logger: StructuredLogger,
    private readonly onApplied: () => void,
    /** How long one sweep may work on the event loop before it leaves the rest to the next (see WorkBudget). */
    private readonly budgetMs = SWEEP_BUDGET_MS,
  ) {}

  /** From now on each sweep asks the directory who is in each role (an escalation seats the next tier as it is). */
  useRoster(roster: () => Roster): void {
    // A deadline that depends on a role Slack has not answered for since the start waits a while for it, from now (a
    // clock set back moves the end back as far: see afterClockSetBack).
    this.unreadWaitUntil = this.clock() + UNREAD_ROLE_WAIT_MS;
    this.roster = () => ({ ...roster(), unreadWaitUntil: this.unreadWaitUntil });
  }

  /**
   * Who is in each role now, with how long a deadline waits for a role not read yet: what a press applying a due
   * deadline must use too, so that it waits as the sweep does. Undefined until the directory has started.
   */
  currentRoster(): Roster | undefined {
    return this.roster?.();
  }

  start(expression: string): void {
    this.ticks = new CronTimer(expression, () => this.sweep());
    this.ticks.plan();
    this.watchClock();
  }

  /**
   * A sweep's time is planned on the wall clock and waited for on the monotonic one (CronTimer): a step of the wall
   * clock makes the plan wrong by as much (node-cron, which planned and waited on the wall clock, applied no deadline
   * for as long as a step back: a year's correction, a year). A timer compares the two clocks every second and plans the
   * sweeps afresh on a step; a step back also moves back what was timed on the clock before it (afterClockSetBack).
   */
  private watchClock(): void {
    let wall = Date.now();
    let mono = performance.now();
    this.clockWatch = setInterval(() => {
      const [wallNow, monoNow] = [Date.now(), performance.now()];
      const step = Math.round(wallNow - wall - (monoNow - mono));
      [wall, mono] = [wallNow, monoNow];
      if (Math.abs(step) <= CLOCK_STEP_MS || this.ticks === undefined) return;
      if (step < 0) this.afterClockSetBack(-step);
      else this.afterJumpForward(step);
      this.ticks.plan();
      this.sweep();
    }, CLOCK_WATCH_MS);
    this.clockWatch.unref();
  }

  /**
   * A forward jump moves nothing (a suspended machine waking looks the same, and that time really went by), but it is
   * remembered with what was flagged and scheduled before it: a step back that follows may be the clock set right.
   */
  private afterJumpForward(stepMs: number): void {
    this.logger.log(LogLevel.WARN, 'the clock jumped (or the process was suspended): deadline scans start afresh from the new time', { stepMs });
    try {
      // Each jump keeps its own marks: an earlier one may have been real (a suspend), and what was timed after it on a
      // right clock keeps its window when a later mistake is set right.
      this.jumpsForward = [{ ...scheduledMarks(this.store), ms: stepMs, seenAt: performance.now() }, ...this.recentJumpsForward()];
    } catch (error) {
      // Unread, a step back that follows moves everything, as it did before forward jumps were remembered.
      this.jumpsForward = [];
      this.logger.log(LogLevel.ERROR, 'the clock jumped, and what was scheduled before could not be read', { error: String(error) });
    }
  }

  /**
   * The clock was set back `deltaMs` (NTP correcting a clock that ran ahead): the open deadlines, the due times cards
   * show and the wait for unread roles were timed on the clock before the step, and move back as far, so each ends as
   * many real minutes after its start as it should, not the step later. Only on a step back: a forward jump may be a
   * suspended machine waking, and that time really went by. A step back after a jump forward (a clock set ahead by
   * mistake, then set right) undoes the jump: for that part only what was timed after the jump moves back.
   */
  private afterClockSetBack(deltaMs: number): void {
    if (this.unreadWaitUntil !== undefined) this.unreadWaitUntil -= deltaMs;
    // The newest jump is undone first: a mistake is set right within minutes, an earlier jump was more likely real.
    const parts: UndoneJump[] = [];
    const left: (UndoneJump & { readonly seenAt: number })[] = [];
    let rest = deltaMs;
    for (const jump of this.recentJumpsForward()) {
      const part = Math.min(jump.ms, rest);
      rest -= part;
      if (part > 0) parts.push({ momentId: jump.momentId, deadlineId: jump.deadlineId, ms: part });
      if (jump.ms > part) left.push({ ...jump, ms: jump.ms - part });
    }
    this.jumpsForward = left;
    const undone = deltaMs - rest;
    try {
      const moved = moveDeadlinesBack(this.store, deltaMs, this.clock(), parts);
      this.logger.log(LogLevel.WARN, 'the clock was set back: open deadlines move back as far, and deadline scans start afresh from the new time', {
        stepMs: -deltaMs,
        deadlinesMoved: moved.deadlines,
        momentsMoved: moved.moments,
        cardUpdates: moved.cards,
        ...(undone > 0 ? { undoesJumpForwardMs: undone } : {}),
        ...(moved.movedAlready ? { movedBy: 'another Greenlight process on the database' } : {}),
      });
      // The card updates go out now, not at delivery's next look.
      if (moved.cards > 0) this.onApplied();
    } catch (error) {
      this.logger.log(LogLevel.ERROR, 'the clock was set back, and open deadlines could not be moved back: they are applied that much late', {
        stepMs: -deltaMs,
        error: String(error),
      });
    }
  }

  /** The jumps forward seen within JUMP_UNDONE_WITHIN_MS, newest first. */
  private recentJumpsForward(): (UndoneJump & { readonly seenAt: number })[] {
    return this.jumpsForward.filter((jump) => performance.now() - jump.seenAt < JUMP_UNDONE_WITHIN_MS);
  }

  sweep(): SweepResult {
    const now = this.clock();
    try {
      const result = sweepDeadlines(this.store, now, this.roster?.(), undefined, workBudget(this.budgetMs));
      // One line per moment, as a person's decision gets: why a moment expired, and when it escalated, is in the log. A
      // deadline that changed nothing (a reminder overdue with its timeout) is no news.
      for (const outcome of result.outcomes) if (outcome.events.length > 0) this.logger.log(LogLevel.INFO, 'deadline applied', outcomeFields(outcome));
      if (result.applied > 0) this.onApplied();
      for (const failure of result.failures) {
        // A deadline that keeps failing is tried again a minute later: said when it starts, then at most once a minute.
        const said = this.failureReports.pass(`${failure.deadlineId}:${failure.error}`, now);
        if (said) this.logger.log(LogLevel.ERROR, 'deadline failed, tried again in a minute', { ...failure, heldRepeats: said.held });
      }
      this.prune(now);
      // Work left over (a big backlog, past the sweep's budget) goes on after the requests waiting meanwhile, not at the
      // next tick: deadlines are late by a turn of the event loop, not by seconds.
      if (result.more && this.ticks !== undefined && !this.continuing) {
        this.continuing = true;
        setImmediate(() => {
          this.continuing = false;
          if (this.ticks !== undefined) this.sweep();
        });
      }
      return result;
    } catch (error) {
      this.logger.log(LogLevel.ERROR, 'deadline sweep failed', { error: String(error) });
      return NOTHING_DUE;
    }
  }

  /**
   * Every ten minutes forgets old request ids and drafts, then the outbox's old rows one stretch per sweep, so a
   * week-old burst to forget never holds the event loop (and the requests waiting on it) in one long delete.
   */
  private prune(now: number): void {
    try {
      // A clock stepped back does not hold the prune off for as long as the step.
      if (this.pruneAfter === undefined && (now - this.lastPruneAt >= PRUNE_EVERY_MS || now < this.lastPruneAt)) {
        this.lastPruneAt = now;
        this.store.transaction(() => {
          this.store.seen.forgetBefore(now - SEEN_TTL_MS);
          this.store.flagDrafts.forgetBefore(now - SEEN_TTL_MS);
        });
        this.pruneAfter = 0;
      }
      if (this.pruneAfter === undefined) return;
      const after = this.pruneAfter;
      this.pruneAfter = this.store.transaction(() => this.store.outbox.pruneDone(now - OUTBOX_TTL_MS, after)).next;
    } catch (error) {
      // Housekeeping only: the deadlines were swept all the same, and the next prune (in ten minutes, not at the next
      // sweep) starts over.
      this.pruneAfter = undefined;
      this.logger.log(LogLevel.ERROR, 'forgetting old rows failed, tried again in ten minutes', { error: String(error) });
    }
  }

  async stop(): Promise<void> {
    const ticks = this.ticks;
    this.ticks = undefined;
    clearInterval(this.clockWatch);
    this.clockWatch = undefined;
    if (ticks) await ticks.stop();
  }
}

/** What a deadline did to its moment, as log fields: reminded whom, escalated from and to which tier, or expired it. */
export function outcomeFields(outcome: DeadlineOutcome): Fields {
  const fields: Fields = { momentId: outcome.momentId, deadline: outcome.deadline };
  const did: string[] = [];
  for (const event of outcome.events) {
    switch (event.type) {
      case 'reminded':
        did.push('reminded reviewers');
        fields.reminded = event.userIds.length;
        break;
      case 'revision_reminded':
        did.push('reminded the flagger of the revision');
        break;
      case 'escalated':
        did.push('escalated');
        Object.assign(fields, { fromTier: event.fromTier, toTier: event.toTier, ...(event.seated.length > 0 ? { seated: event.seated.length } : {}) });
        break;
      case 'expired':
        did.push('expired');
        break;
      case 'approval_recorded':
      case 'approved':
      case 'rejected':
      case 'changes_requested':
      case 'revised':
      case 'withdrawn':
        // A person's doing, logged with their decision: a deadline never causes these.
        did.push(event.type);
        break;
      default:
        assertNever(event);
    }
  }
  fields.did = did.join(', ');
  return fields;
}
