/** Action, callback and command ids shared by block builders, listeners and tests. */
export const ACTION = {
  approve: 'moment_approve',
  reject: 'moment_reject',
  requestChanges: 'moment_request_changes',
  revise: 'moment_revise',
  escalate: 'moment_escalate',
  withdraw: 'moment_withdraw',
} as const;

export const VIEW = {
  reject: 'moment_reject_modal',
  requestChanges: 'moment_changes_modal',
  revise: 'moment_revise_modal',
  flag: 'moment_flag_modal',
} as const;

export const SHORTCUT = {
  flagMessage: 'flag_moment',
} as const;

export const COMMAND = '/moment';

/** Block and input ids inside modals. */
export const FIELD = {
  reason: { block: 'reason', input: 'reason_input' },
  changes: { block: 'changes', input: 'changes_input' },
  title: { block: 'title', input: 'title_input' },
  copy: { block: 'copy', input: 'copy_input' },
  link: { block: 'link', input: 'link_input' },
  topic: { block: 'topic', input: 'topic_input' },
  urgency: { block: 'urgency', input: 'urgency_input' },
} as const;

/** Block Kit limits (DESIGN §7). */
export const LIMIT = {
  sectionText: 3000,
  headerText: 150,
  blocksPerView: 100,
} as const;

/** What a decision button carries. Authorization never trusts it: the store decides who may act. */
export interface ButtonValue {
  readonly momentId: number;
  readonly revision: number;
  /** The tier the card showed; undefined on cards posted before buttons carried it. */
  readonly tier?: number;
  /** The moment's stamp (see Moment); undefined on buttons posted before they carried it, or of a moment without one. */
  readonly stamp?: string;
}

/** `id:revision[:tier[:stamp]]` (a stamp goes only with a tier). */
export function encodeButtonValue(value: ButtonValue): string {
  const base = `${value.momentId}:${value.revision}`;
  if (value.tier === undefined) return base;
  return value.stamp === undefined ? `${base}:${value.tier}` : `${base}:${value.tier}:${value.stamp}`;
}

/** The value of a button acting on `moment` as it is shown: its id, revision, tier and stamp. */
export function buttonValueFor(moment: { readonly id: number; readonly revision: number; readonly tier: number; readonly stamp?: string }): string {
  return encodeButtonValue({ momentId: moment.id, revision: moment.revision, tier: moment.tier, ...(moment.stamp === undefined ? {} : { stamp: moment.stamp }) });
}

export function decodeButtonValue(raw: unknown): ButtonValue | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = /^(\d{1,15}):(\d{1,9})(?::(\d{1,3})(?::([0-9a-f]{1,32}))?)?$/.exec(raw);
  if (!match) return undefined;
  return {
    momentId: Number(match[1]),
    revision: Number(match[2]),
    ...(match[3] === undefined ? {} : { tier: Number(match[3]) }),
    ...(match[4] === undefined ? {} : { stamp: match[4] }),
  };
}
