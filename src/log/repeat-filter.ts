/**
 * Keeps a failure that lasts from flooding the log: a key (the failure's message) passes when it is new, or when
 * `quietMs` have passed since it last passed, with how many times it came meanwhile; repeats in between are held.
 * Each distinct key is counted apart, so two failures that alternate are both held.
 */
export class RepeatFilter {
  private readonly seen = new Map<string, { at: number; held: number }>();

  constructor(
    /** How long a key goes unsaid after it passed: a minute unless told. */
    private readonly quietMs = 60_000,
    /** Distinct keys remembered; past it the oldest are forgotten (and would pass again). */
    private readonly capacity = 1000,
  ) {}

  /** Undefined: hold it. Otherwise say it, with `held`, the repeats not said since it last passed. */
  pass(key: string, now: number): { readonly held: number } | undefined {
    const last = this.seen.get(key);
    if (last && now - last.at < this.quietMs) {
      last.held += 1;
      return undefined;
    }
    this.seen.delete(key);
    this.seen.set(key, { at: now, held: 0 });
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return { held: last?.held ?? 0 };
  }
}
