import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { startSlackStandIn, type SlackStandIn, type StandInOptions } from '../../src/sandbox/slack-stand-in';

/** Shared by the stand-in's tests: start stand-ins that afterEach closes, and real WebClients aimed at them. */

export const TOKEN = 'xoxb-sandbox-test';

const started: SlackStandIn[] = [];

export async function startStandIn(options: StandInOptions = {}): Promise<SlackStandIn> {
  const standIn = await startSlackStandIn({ port: 0, ...options });
  started.push(standIn);
  return standIn;
}

export async function closeStandIns(): Promise<void> {
  await Promise.all(started.splice(0).map((s) => s.close()));
}

/** A logger that prints nothing, for Slack clients in tests. */
export const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** A WebClient that never retries and never prints; token null sends none. */
export function clientFor(standIn: SlackStandIn, options: WebClientOptions = {}, token: string | null = TOKEN): WebClient {
  return new WebClient(token ?? undefined, { slackApiUrl: standIn.url, retryConfig: { retries: 0 }, logger: silent, ...options });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) {
      return error;
    }
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the call to fail, but it succeeded');
}
