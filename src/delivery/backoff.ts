/** Exponential backoff with ±20% jitter, so many rows failing together do not retry together. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** Math.min(attempts, 12), 5 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** After this many attempts a transient failure is given up (about half an hour of retrying). */
export const MAX_ATTEMPTS = 14;
