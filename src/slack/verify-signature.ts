import crypto from 'node:crypto';

/** Slack's rule: the request must be dated within five minutes of now, in either direction. */
export const MAX_SKEW_SECONDS = 300;

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Verifies Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing
 * secret, compared in constant time. Unlike Bolt's own check, a timestamp from the future is refused too.
 */
export function verifySlackSignature(
  signingSecret: string,
  body: Buffer,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  nowMs: number,
): SignatureCheck {
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (!signatureHeader || !/^v0=[0-9a-f]{64}$/.test(signatureHeader)) return { ok: false, reason: 'missing or malformed signature' };
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(timestampHeader));
  if (skew > MAX_SKEW_SECONDS) return { ok: false, reason: `timestamp ${skew}s away from now` };
  const expected = signBody(signingSecret, timestampHeader, body);
  const given = Buffer.from(signatureHeader, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !crypto.timingSafeEqual(given, wanted)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

export function signBody(signingSecret: string, timestamp: string, body: Buffer | string): string {
  const hmac = crypto.createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}
