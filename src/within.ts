/**
 * `promise`'s value if it settles within `ms`, else what `late()` gives, called when the time runs out (a fallback, a
 * log line). The timer is always cleared, so a wait that ended early keeps nothing alive. A rejection passes through.
 */
export async function within<T>(promise: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
