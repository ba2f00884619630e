import type { Directory } from './directory';

export interface RefreshTiming {
  /** The regular refresh, once every role was read. */
  readonly everyMs: number;
  /** The first retry while a role is unread; each next one waits twice as long, up to `maxRetryMs`. */
  readonly firstRetryMs: number;
  readonly maxRetryMs: number;
}

export const REFRESH_TIMING: RefreshTiming = { everyMs: 5 * 60_000, firstRetryMs: 2000, maxRetryMs: 60_000 };

/** Runs `run` after `ms`; returns a cancel. Injected by tests. */
export type Schedule = (run: () => void, ms: number) => () => void;

const realSchedule: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * Refreshes the directory every five minutes, and much sooner while a role is unread (a user group or email
 * Slack did not answer for at start): until then its reviewers are trusted on their assignments and flags for
 * its topics are refused, so waiting five minutes would hold a crisis flag up for five minutes. Returns stop.
 */
export function keepDirectoryFresh(
  directory: Pick<Directory, 'refresh' | 'unreadRoles' | 'retryAfterMs'>,
  timing: RefreshTiming = REFRESH_TIMING,
  schedule: Schedule = realSchedule,
): () => void {
  let retryMs = timing.firstRetryMs;
  let cancel: (() => void) | undefined;
  let stopped = false;
  const next = () => {
    if (stopped) return;
    let wait = timing.everyMs;
    if (directory.unreadRoles().size > 0) {
      // Slack's Retry-After wins over a shorter backoff: asking sooner only earns another 429.
      wait = Math.max(retryMs, directory.retryAfterMs());
      retryMs = Math.min(retryMs * 2, timing.maxRetryMs);
    } else {
      retryMs = timing.firstRetryMs;
    }
    cancel = schedule(run, wait);
  };
  const run = () => {
    // The directory logs its own failures; the next refresh is scheduled whatever happened.
    void directory.refresh().finally(next);
  };
  next();
  return () => {
    stopped = true;
    cancel?.();
  };
}
