import type { WebClient } from '@slack/web-api';
import type { DeliveryDeps } from './delivery-deps';

/**
 * Lease a message needs left when it goes out: the call itself (the client's 10 s timeout) and the commit that
 * records its answer, with room for a slow disk or a busy event loop.
 */
export const SEND_WINDOW_MS = 20_000;

/** Another worker holds the row now: this one must neither send it nor record anything for it. */
export class ClaimLostError extends Error {
  constructor(readonly outboxId: number) {
    super(`outbox row ${outboxId} is claimed by another worker`);
    this.name = 'ClaimLostError';
  }
}

export interface HeldClaim {
  readonly rowId: number;
  readonly by: string;
  /** When the claim runs out, as taken. */
  readonly until: number;
  readonly leaseMs: number;
}

/**
 * The delivery's deps with every call that shows someone a message (chat.postMessage, chat.postEphemeral, a
 * response_url) fenced by the row's claim. A delivery can outlive its lease before it gets there (permalink,
 * conversations.open, up to ten pages of history, each up to 10 s), and another process may then have claimed
 * the row, looked for the post and not found it because this one had not made it yet. So right before sending,
 * with less than SEND_WINDOW_MS of the lease left, the claim is renewed (through the group commit), only if it is
 * still ours; if it is not, nothing is sent (ClaimLostError) and the new holder delivers the row. Renewing only
 * then keeps the usual delivery (a message right after its claim) to the claim's commit. The look-before-post
 * stays as it was: a post that may have landed is still looked for by whoever holds the row next.
 */
export function fenceSends(deps: DeliveryDeps, claim: HeldClaim): DeliveryDeps {
  const { store, clock, client } = deps;
  let until = claim.until;
  const stillOurs = async (): Promise<void> => {
    const now = clock();
    if (until - now >= SEND_WINDOW_MS) return;
    const renewed = now + claim.leaseMs;
    if (!(await store.batched(() => store.outbox.renew(claim.rowId, claim.by, renewed)))) throw new ClaimLostError(claim.rowId);
    until = renewed;
  };
  // Everything else of the client (reads, updates) is the real client's, bound to it; `chat` is wrapped on first
  // use only, so a delivery that never touches it (a response_url answer, a home tab) pays nothing for it.
  const fenced: WebClient = Object.create(client) as WebClient;
  let chat: WebClient['chat'] | undefined;
  Object.defineProperty(fenced, 'chat', { get: () => (chat ??= fencedChat(client.chat, stillOurs)) });
  return {
    ...deps,
    client: fenced,
    postToResponseUrl: async (url, body) => {
      await stillOurs();
      await deps.postToResponseUrl(url, body);
    },
  };
}

function fencedChat(chat: WebClient['chat'], stillOurs: () => Promise<void>): WebClient['chat'] {
  const fenced: WebClient['chat'] = Object.create(chat) as WebClient['chat'];
  fenced.postMessage = async (args) => {
    await stillOurs();
    return chat.postMessage(args);
  };
  fenced.postEphemeral = async (args) => {
    await stillOurs();
    return chat.postEphemeral(args);
  };
  return fenced;
}
