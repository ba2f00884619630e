import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import type { RepeatFilter } from '../log/repeat-filter';
import type { OutboxRow } from '../store/outbox';
import { backoffMs, retryWindowStart, stillWorthLooking, stillWorthRetrying } from './backoff';
import { APP_REFUSED_RECORDED, classifyFailure, operatorFix, type Failure } from './failure';
import { ClaimLostError, fenceSends } from './fence-sends';
import type { DeliveryDeps, Sent } from './delivery-deps';
import { isPost, pacingKey } from './pacing-key';
import { sendNotice } from './send-notice';

export type RowDeliveryDeps = DeliveryDeps & {
  readonly logger: StructuredLogger;
  /**
   * Retries for Slack refusing the app itself (a revoked token, a missing scope), said once a minute per error and fix
   * (each missing scope is named) with a count: every notice fails the same way until the operator fixes it, and a line
   * per try buried the fix. Undefined: each is said.
   */
  readonly appRefusals?: RepeatFilter;
};

/** The claim a delivery holds on its row while it sends it. */
export interface RowClaim {
  /** The claiming worker's name. */
  readonly by: string;
  /** When the claim runs out, as taken. */
  readonly until: number;
  readonly leaseMs: number;
}

/** How one delivery ended, for the worker's bookkeeping. */
export interface Delivery {
  /** 'done' frees the row's lane; 'retry' brings the row back at `retryAt`; 'lost': another worker took it over. */
  readonly ending: 'done' | 'retry' | 'lost';
  readonly retryAt?: number;
  /** Slack answered 429: the row's channel waits until then, whoever holds the row now. */
  readonly rateLimitedUntil?: number;
}

const DONE: Delivery = { ending: 'done' };

/**
 * Sends one claimed row and records its result (sent, skipped, retried, given up), each in one commit with the
 * check that the claim is still this worker's. Throws only when the result could not be recorded.
 */
export async function deliverRow(row: OutboxRow, deps: RowDeliveryDeps, claim: RowClaim, random: () => number): Promise<Delivery> {
  const { store, clock, logger } = deps;
  const fields = { outboxId: row.id, momentId: row.momentId, notice: row.notice.kind, attempt: row.attempts + 1 };
  const record = (write: () => void) => recordIfOurs(row, deps, claim.by, write);
  const lost = (rateLimitedUntil?: number): Delivery => {
    logger.log(LogLevel.WARN, 'another worker took this row over while Slack was slow; left to it', fields);
    return { ending: 'lost', rateLimitedUntil };
  };
  // A card re-render followed by another one is redundant: the later one shows the latest state.
  if (row.notice.kind === 'update_card' && store.outbox.hasLaterOfKind(row)) {
    return (await record(() => store.outbox.markSkipped(row.id, clock(), 'superseded by a later update'))) ? DONE : lost();
  }
  let sent: Sent;
  try {
    sent = await sendNotice(row, fenceSends(deps, { rowId: row.id, by: claim.by, until: claim.until, leaseMs: claim.leaseMs }));
  } catch (error) {
    if (error instanceof ClaimLostError) return lost();
    const failure = classifyFailure(error);
    const rateLimitedUntil = failure.kind === 'rate_limited' ? clock() + failure.retryAfterMs : undefined;
    // What the operator can do about it, and where it was going (the channel to invite Greenlight to).
    const notice = row.notice.kind;
    const fix = operatorFix(error, notice === 'dm_reviewer' || notice === 'remind_reviewer' || notice === 'update_dm');
    // Where it was going is said whatever the error: a refusal with no known fix is the operator's to look into.
    const to = pacingKey(row, (id) => store.moments.pacingFacts(id));
    const told = fix === undefined ? { ...fields, to } : { ...fields, to, fix };
    return (await recordFailure(row, deps, claim.by, failure, random, told)) ?? lost(rateLimitedUntil);
  }
  // Results are recorded through the group commit: many deliveries share one commit.
  if (sent.kind === 'skipped') {
    if (!(await record(() => store.outbox.markSkipped(row.id, clock(), sent.why)))) return lost();
    logger.log(LogLevel.DEBUG, 'notice skipped', { ...fields, why: sent.why });
    return DONE;
  }
  const result = sent.channel && sent.ts ? { channel: sent.channel, ts: sent.ts } : undefined;
  const refused = sent.refused?.join('; ');
  const recorded = await record(() => {
    for (const write of sent.writes ?? []) write();
    store.outbox.markSent(row.id, clock(), result, refused);
  });
  if (!recorded) return lost();
  if (refused) logger.log(LogLevel.WARN, 'notice delivered in part, the rest given up', { ...fields, error: refused });
  else logger.log(LogLevel.DEBUG, 'notice delivered', fields);
  return DONE;
}

/**
 * Records a row's result in one commit with the check that this worker still holds its claim. A delivery that
 * outlived its lease may find the row taken by another process, which may be posting it right now: a retry
 * recorded over it would clear that claim, and a third attempt could look, miss the post still on its way and
 * post again. The holder records the row instead (finding this worker's post, if it landed, by its look).
 */
function recordIfOurs(row: OutboxRow, deps: RowDeliveryDeps, by: string, write: () => void): Promise<boolean> {
  const { store } = deps;
  return store.batched(() => {
    if (!store.outbox.holds(row.id, by)) return false;
    write();
    return true;
  });
}

/** A failed call: retried later, or given up for good; undefined when the row is no longer ours. */
async function recordFailure(
  row: OutboxRow,
  deps: RowDeliveryDeps,
  by: string,
  failure: Failure,
  random: () => number,
  fields: Record<string, unknown>,
): Promise<Delivery | undefined> {
  const { store, clock, logger } = deps;
  const now = clock();
  if (failure.kind === 'rate_limited') {
    const at = now + failure.retryAfterMs;
    // A 429 means this call did not land; an earlier attempt that may have is still looked for.
    if (!(await recordIfOurs(row, deps, by, () => store.outbox.scheduleRetry(row.id, at, failure.error, row.uncertain, now)))) return undefined;
    logger.log(LogLevel.WARN, 'rate limited, channel paused', { ...fields, retryAfterMs: failure.retryAfterMs });
    return { ending: 'retry', retryAt: at, rateLimitedUntil: at };
  }
  // Past its window a post that may have landed gets a while longer, in which it is only looked for (postOnce).
  const since = retryWindowStart(row, now);
  const lookFor = ((failure.kind === 'transient' && failure.uncertain) || row.uncertain) && isPost(row.notice) && stillWorthLooking(row.notice, since, now);
  if (failure.kind === 'permanent' || (!stillWorthRetrying(row.notice, since, now) && !lookFor)) {
    const givenUp = () => {
      store.outbox.markFailed(row.id, now, failure.error);
      // The flagger's confirmation, next in the card's lane, says why in words that fit (see confirm_flag).
      if (row.notice.kind === 'post_card' && row.momentId !== undefined) store.moments.setCardRefused(row.momentId, failure.error);
    };
    if (!(await recordIfOurs(row, deps, by, givenUp))) return undefined;
    logger.log(LogLevel.ERROR, 'notice given up', { ...fields, error: failure.error });
    return DONE;
  }
  const at = now + backoffMs(row.attempts, random);
  if (!(await recordIfOurs(row, deps, by, () => store.outbox.scheduleRetry(row.id, at, failure.error, failure.uncertain || row.uncertain, now)))) {
    return undefined;
  }
  const said = deps.appRefusals && APP_REFUSED_RECORDED.includes(failure.error) ? deps.appRefusals.pass(`${failure.error} ${String(fields.fix ?? '')}`, now) : { held: 0 };
  if (said) {
    const held = said.held > 0 ? { retriesSinceLastSaid: said.held } : {};
    logger.log(LogLevel.WARN, 'notice will be retried', { ...fields, error: failure.error, uncertain: failure.uncertain, ...held });
  }
  return { ending: 'retry', retryAt: at };
}
