const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const;

// Units in a fixed order, each at most once: "1h30m" reads one way only; "30m1h" is a typo worth reporting.
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Milliseconds for `90s`, `30m`, `2h` or a combination such as `1h30m`; undefined when the text is not of that form.
 * Zero (`0m`) parses to 0: whether zero is allowed is the caller's rule.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || match[0] === '') return undefined;
  const [, hours, minutes, seconds] = match;
  const ms = Number(hours ?? 0) * UNIT_MS.h + Number(minutes ?? 0) * UNIT_MS.m + Number(seconds ?? 0) * UNIT_MS.s;
  return Number.isSafeInteger(ms) ? ms : undefined;
}
