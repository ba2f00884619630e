import type { RenderedMessage } from '../slack/blocks/card';
import type { DeliveryDeps, Posted, Sent } from './delivery-deps';
import { classifyFailure } from './failure';

/**
 * Re-renders each of a reviewer's DMs about the moment in place (or each of the flagger's requests for changes). One
 * outbox row per person, not per DM: its lane comes after every DM posted to them about the moment, so by the time it
 * runs all of them are recorded (a row per DM, queued with the change, would miss a DM still waiting in that lane). An update never posts, so a retry
 * safely updates them all again. Each DM is tried: a passing failure on one retries the row once the others were
 * updated; one Slack refuses for good (deleted) is noted and the others still go; a 429 stops at once, since it
 * pauses every update.
 */
export async function updateEach(
  deps: DeliveryDeps,
  updates: readonly { readonly dm: Posted; readonly message: RenderedMessage; readonly updated?: () => void }[],
): Promise<Sent> {
  let updated: Posted | undefined;
  let retry: unknown;
  let firstRefusal: unknown;
  const refused: string[] = [];
  for (const { dm, message, updated: onUpdated } of updates) {
    try {
      await deps.client.chat.update({ channel: dm.channel, ts: dm.ts, ...message });
      updated = dm;
      onUpdated?.();
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'rate_limited') throw error;
      if (failure.kind === 'transient') {
        retry ??= error;
      } else {
        firstRefusal ??= error;
        refused.push(`DM ${dm.channel}/${dm.ts}: ${failure.error}`);
      }
    }
  }
  if (retry !== undefined) throw retry;
  if (!updated) throw firstRefusal;
  return { kind: 'sent', channel: updated.channel, ts: updated.ts, ...(refused.length > 0 ? { refused } : {}) };
}
