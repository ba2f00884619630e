/**
 * "Nothing lost, nothing doubled", checked from both sides: the outbox in the database (read through
 * a separate read-only connection, as an operator would) and the messages the Slack stand-in stored.
 * Every post carries its outbox id in metadata, so each stored message is tied to exactly one row.
 */
import Database from 'better-sqlite3';
import { NOTICE_EVENT_TYPE } from '../../src/delivery/post-once';
import type { SlackStandIn, StoredMessage } from '../../src/sandbox/slack-stand-in';

export interface OutboxRecord {
  id: number;
  momentId: number | null;
  lane: string | null;
  kind: string;
  payload: Record<string, unknown>;
  outcome: string | null;
  lastError: string | null;
  attempts: number;
  uncertain: number;
  resultChannel: string | null;
  resultTs: string | null;
}

export interface Audit {
  readonly rows: OutboxRecord[];
  readonly messages: StoredMessage[];
  /** Outbox ids carried by more than one stored message. */
  readonly doubled: { outboxId: number; count: number }[];
  /** Rows marked sent as a post with no stored message carrying their id. */
  readonly lost: { outboxId: number; kind: string }[];
  /** Stored messages whose outbox id has no row marked sent (a post that landed but was given up, or a stray). */
  readonly strays: { outboxId: number; outcome: string | null }[];
  /** Rows whose recorded ts is not the ts of the message carrying their id. */
  readonly mismatched: { outboxId: number; recorded: string | null; stored: string }[];
  /** Within a moment's lane, a later row stored before an earlier one. */
  readonly outOfOrder: { momentId: number | null; lane: string | null; ids: number[] }[];
  /** Rows still undelivered. */
  readonly open: number;
  readonly outcomes: Record<string, number>;
}

const POST_KINDS = new Set(['post_card', 'thread_note', 'dm_reviewer', 'remind_reviewer', 'notify_flagger', 'source_reply']);

/** True for a row that, once sent, left a chat.postMessage in Slack (the others answer ephemerally or update). */
export function isPostRow(row: OutboxRecord): boolean {
  if (POST_KINDS.has(row.kind)) return true;
  return row.kind === 'confirm_flag' && !row.payload.responseUrl && !row.payload.channel;
}

export function outboxIdOf(message: StoredMessage): number | undefined {
  if (message.metadata?.event_type !== NOTICE_EVENT_TYPE) return undefined;
  const id = message.metadata.event_payload.outbox_id;
  return typeof id === 'number' ? id : undefined;
}

/** Reads the database without going through the app (WAL lets it read while the app writes). */
export function withReadonly<T>(databasePath: string, read: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function readOutbox(databasePath: string): OutboxRecord[] {
  return withReadonly(databasePath, (db) =>
    db
      .prepare<[], { id: number; moment_id: number | null; lane: string | null; kind: string; payload: string; outcome: string | null; last_error: string | null; attempts: number; uncertain: number; result_channel: string | null; result_ts: string | null }>(
        'SELECT id, moment_id, lane, kind, payload, outcome, last_error, attempts, uncertain, result_channel, result_ts FROM outbox ORDER BY id',
      )
      .all()
      .map((r) => ({
        id: r.id,
        momentId: r.moment_id,
        lane: r.lane,
        kind: r.kind,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        outcome: r.outcome,
        lastError: r.last_error,
        attempts: r.attempts,
        uncertain: r.uncertain,
        resultChannel: r.result_channel,
        resultTs: r.result_ts,
      })),
  );
}

export function audit(standIn: SlackStandIn, databasePath: string): Audit {
  const rows = readOutbox(databasePath);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const messages = standIn.messages().filter((m) => outboxIdOf(m) !== undefined);
  const carried = new Map<number, StoredMessage[]>();
  for (const m of messages) {
    const id = outboxIdOf(m)!;
    carried.set(id, [...(carried.get(id) ?? []), m]);
  }
  const doubled = [...carried].filter(([, ms]) => ms.length > 1).map(([outboxId, ms]) => ({ outboxId, count: ms.length }));
  const lost = rows.filter((r) => r.outcome === 'sent' && isPostRow(r) && !carried.has(r.id)).map((r) => ({ outboxId: r.id, kind: r.kind }));
  const strays = [...carried.keys()]
    .filter((id) => byId.get(id)?.outcome !== 'sent')
    .map((outboxId) => ({ outboxId, outcome: byId.get(outboxId)?.outcome ?? null }));
  const mismatched = rows
    .filter((r) => r.outcome === 'sent' && isPostRow(r) && carried.get(r.id)?.length === 1 && carried.get(r.id)![0]!.ts !== r.resultTs)
    .map((r) => ({ outboxId: r.id, recorded: r.resultTs, stored: carried.get(r.id)![0]!.ts }));
  const lanes = new Map<string, { momentId: number | null; lane: string | null; stored: { id: number; ts: string }[] }>();
  for (const m of messages) {
    const row = byId.get(outboxIdOf(m)!);
    if (!row || row.lane === null) continue;
    const key = `${row.momentId}/${row.lane}`;
    const entry = lanes.get(key) ?? { momentId: row.momentId, lane: row.lane, stored: [] };
    entry.stored.push({ id: row.id, ts: m.ts });
    lanes.set(key, entry);
  }
  const outOfOrder = [...lanes.values()]
    .map((l) => ({ ...l, ids: l.stored.sort((a, b) => compareTs(a.ts, b.ts)).map((s) => s.id) }))
    .filter((l) => l.ids.some((id, i) => i > 0 && id < l.ids[i - 1]!))
    .map(({ momentId, lane, ids }) => ({ momentId, lane, ids }));
  const outcomes: Record<string, number> = {};
  for (const r of rows) outcomes[r.outcome ?? 'open'] = (outcomes[r.outcome ?? 'open'] ?? 0) + 1;
  return { rows, messages, doubled, lost, strays, mismatched, outOfOrder, open: outcomes.open ?? 0, outcomes };
}

/** The stored card of each moment, found through its post_card row's outbox id. */
export function cardsByMoment(result: Audit): Map<number, StoredMessage[]> {
  const cards = new Map<number, StoredMessage[]>();
  const postCardIds = new Map(result.rows.filter((r) => r.kind === 'post_card').map((r) => [r.id, r.momentId!]));
  for (const m of result.messages) {
    const momentId = postCardIds.get(outboxIdOf(m)!);
    if (momentId !== undefined) cards.set(momentId, [...(cards.get(momentId) ?? []), m]);
  }
  return cards;
}

export function compareTs(a: string, b: string): number {
  const [as, au] = a.split('.').map(Number) as [number, number];
  const [bs, bu] = b.split('.').map(Number) as [number, number];
  return as - bs || au - bu;
}
