const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;

/** The fraction for `50%` (0.5); undefined when the text is not a percentage. The allowed range is the caller's rule. */
export function parsePercent(text: string): number | undefined {
  const match = PERCENT.exec(text.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]) / 100;
}
