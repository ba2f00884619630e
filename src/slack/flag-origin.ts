import { randomBytes } from 'node:crypto';
import type { Backend } from '../backend/backend-ops';
import { attachedFilesFrom, type SourceMessage } from '../core/moment';
import type { FlagFormMetadata, FlagOrigin } from './blocks/flag-modal';
import { parseJsonObject } from './views/view-values';

/**
 * A flag form's origin is kept by Greenlight, not carried in the form (see FlagFormMetadata): stored under a random key
 * with who opened the form, beside the long messages' texts, and forgotten after a day like them.
 */
export async function keepFormOrigin(backend: Pick<Backend, 'putDraft'>, userId: string, origin: FlagOrigin): Promise<FlagFormMetadata> {
  const key = `origin:${randomBytes(16).toString('hex')}`;
  await backend.putDraft(key, JSON.stringify({ userId, origin }));
  return { channel: origin.channel, origin: key };
}

/**
 * The origin a form submitted by `userId` came from: the one kept under its key for that person. `not_kept`: the form
 * names a key Greenlight does not hold for them (forgotten after a day, or made up). `opened_before`: a form an earlier
 * version opened on a message, which named the message itself (no longer taken: see FlagFormMetadata), sent after an
 * upgrade. A form naming neither was opened without a message (`/moment` alone).
 */
export function formOrigin(
  backend: Pick<Backend, 'draftText'>,
  rawMetadata: string | undefined,
  userId: string,
): FlagOrigin | 'not_kept' | 'opened_before' {
  const metadata = parseJsonObject(rawMetadata) ?? {};
  const channel = typeof metadata.channel === 'string' ? metadata.channel : undefined;
  if (typeof metadata.origin !== 'string') return metadata.source !== undefined || metadata.draft !== undefined ? 'opened_before' : { channel, source: undefined };
  const kept = parseJsonObject(backend.draftText(metadata.origin));
  const origin = kept?.userId === userId && typeof kept.origin === 'object' && kept.origin !== null ? (kept.origin as Record<string, unknown>) : undefined;
  if (origin === undefined) return 'not_kept';
  const source = typeof origin.source === 'object' && origin.source !== null ? (origin.source as Record<string, unknown>) : undefined;
  return {
    channel: typeof origin.channel === 'string' ? origin.channel : channel,
    source: source && typeof source.channel === 'string' && typeof source.ts === 'string' ? readSource(source.channel, source.ts, source) : undefined,
    ...(typeof origin.whole === 'string' ? { whole: origin.whole } : {}),
    ...(typeof origin.copyShown === 'string' ? { copyShown: origin.copyShown } : {}),
  };
}

function readSource(channel: string, ts: string, source: Record<string, unknown>): SourceMessage {
  const { threadTs, permalink, wordsSeen } = source;
  const files = attachedFilesFrom(source.files);
  return {
    channel,
    ts,
    ...(typeof threadTs === 'string' ? { threadTs } : {}),
    ...(typeof permalink === 'string' ? { permalink } : {}),
    ...(typeof wordsSeen === 'string' ? { wordsSeen } : {}),
    ...(files.length === 0 ? {} : { files }),
  };
}
