import { STATUS_CODES } from 'node:http';
import { describeBody, type Answer } from './stand-in-http';
import type { Fault, FaultRule, MethodResult } from './stand-in-types';

/** Injected faults, checked in order; the first rule that matches and is not used up applies. */
export class FaultBook {
  private rules: FaultRule[] = [];

  inject(rule: FaultRule): void {
    // Copied, so using up `times` does not change the caller's object.
    this.rules.push({ ...rule, fault: { ...rule.fault } });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for a call to `method` naming `channels` (as sent and as resolved), using up one of its `times`. */
  take(method: string, channels: readonly string[], now: number): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.times <= 0) {
        continue;
      }
      if (rule.untilMs !== undefined && now > rule.untilMs) {
        continue;
      }
      if (rule.method !== undefined && rule.method !== method) {
        continue;
      }
      if (rule.channel !== undefined && !channels.includes(rule.channel)) {
        continue;
      }
      if (rule.times !== undefined) {
        rule.times -= 1;
      }
      return rule.fault;
    }
    return undefined;
  }
}

/** Slack's per-channel posting limit: a sliding one-second window of accepted chat.postMessage calls. */
export class ChannelRateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(private perSecond: number | undefined) {}

  setLimit(perSecond: number | undefined): void {
    this.perSecond = perSecond;
    this.recent.clear();
  }

  /** True (and counted) when one more post to `channel` fits in the last second. */
  admit(channel: string, now: number): boolean {
    if (this.perSecond === undefined) {
      return true;
    }
    const window = (this.recent.get(channel) ?? []).filter((t) => now - t < 1000);
    const fits = window.length < this.perSecond;
    if (fits) {
      window.push(now);
    }
    this.recent.set(channel, window);
    return fits;
  }

  clear(): void {
    this.recent.clear();
  }
}

export interface FaultOutcome {
  answer: Answer;
  /** For the log line. */
  note: string;
  delayMs: number;
}

/** Performs the method first when the fault says it landed (the message really is stored); the log note either way. */
function landFirst(fault: { readonly landed?: boolean }, perform: () => MethodResult): string {
  if (fault.landed !== true) return 'fault';
  return `fault, landed: ${describeBody(perform().body)}`;
}

/** What a call answers under `fault`; `perform` runs the method when the fault lets the call land. */
export function faultAnswer(fault: Fault, perform: () => MethodResult): FaultOutcome {
  switch (fault.kind) {
    case 'rate_limited':
      return {
        answer: { status: 429, headers: { 'retry-after': String(fault.retryAfterSec) }, body: { ok: false, error: 'ratelimited' } },
        note: 'fault',
        delayMs: 0,
      };
    case 'slack_error':
      return { answer: { status: 200, body: { ok: false, error: fault.error } }, note: landFirst(fault, perform), delayMs: 0 };
    case 'http_error':
      // Like a proxy failing after Slack did the work: the message exists, the client sees only the error.
      return { answer: { status: fault.status, body: STATUS_CODES[fault.status] ?? 'Error' }, note: landFirst(fault, perform), delayMs: 0 };
    case 'slow':
      return { answer: perform(), note: `fault, answered after ${fault.delayMs} ms`, delayMs: fault.delayMs };
    default: {
      const unknown: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(unknown)}`);
    }
  }
}
