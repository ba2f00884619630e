import { sharedLimitOf } from './pacing-key';

/**
 * When each pacing queue may call again: the gap after a post, and a 429's Retry-After (for the queue and the
 * limit it shares). A hold that has run out holds nobody back, so it is dropped: keys come and go with what is
 * being sent (one per response_url, a new one for every command), and only live holds are kept.
 */
export class Pacing {
  /** Queue key -> earliest time its next call may go. */
  private readonly notBefore = new Map<string, number>();

  /** When a queue may call again: its own pace and Retry-After, and a Retry-After on the limit it shares. */
  pausedUntil(key: string): number {
    const shared = sharedLimitOf(key);
    return Math.max(this.notBefore.get(key) ?? 0, shared === undefined ? 0 : (this.notBefore.get(shared) ?? 0));
  }

  /** Keeps a queue waiting until at least `at` (a longer hold already there stays). */
  holdUntil(key: string, at: number): void {
    this.notBefore.set(key, Math.max(this.notBefore.get(key) ?? 0, at));
  }

  /** A 429: the queue waits until `at`, and so does every queue sharing its limit. */
  rateLimited(key: string, at: number): void {
    this.notBefore.set(key, at);
    const shared = sharedLimitOf(key);
    if (shared !== undefined) this.holdUntil(shared, at);
  }

  /** Forgets every hold: they were timed on a clock since set back (see DeliveryWorker), so would wait the step out. */
  clear(): void {
    this.notBefore.clear();
  }

  /** Forgets the holds that have run out by `now`. */
  prune(now: number): void {
    for (const [key, at] of this.notBefore) if (at <= now) this.notBefore.delete(key);
  }

  /** Holds kept (tests). */
  get size(): number {
    return this.notBefore.size;
  }
}
