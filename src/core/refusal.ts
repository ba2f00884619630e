/** Expected refusals come back as values with a code, never as throws. */
export type RefusalCode =
  | 'already_final'
  | 'not_reviewer'
  | 'already_approved'
  | 'own_approval'
  | 'own_request'
  | 'own_reject'
  | 'stale_revision'
  | 'stale_tier'
  | 'other_moment'
  | 'comment_required'
  | 'not_flagger'
  | 'not_pending'
  | 'no_higher_tier'
  /** Later tiers exist, but nobody in them (besides the flagger) could decide. */
  | 'nobody_at_next_tier'
  | 'not_waiting_for_changes';

export interface Refusal {
  readonly ok: false;
  readonly code: RefusalCode;
  /** A sentence for the person who pressed, safe to show as-is (no user text inside). */
  readonly message: string;
}

export function refuse(code: RefusalCode, message: string): Refusal {
  return { ok: false, code, message };
}
