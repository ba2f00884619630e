import { HTTPReceiver, LogLevel, SocketModeReceiver, type App } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { StructuredLogger } from '../log/logger';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerEvents } from './events';
import { flagReactionIntake } from './events/reaction-added';
import { EVENTS_PATH } from './http-server';
import { answerTimedOut, isAnswerAfterTimeout, SLACK_ANSWER_MS } from './late-answers';
import type { Services } from './services';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';
import { guardSocketMessages } from './socket-messages';
import { IntakeApp } from './intake-app';

export interface SlackAppOptions {
  readonly botToken: string;
  /** From auth.test at start, so Bolt does not call it again on its own. */
  readonly botId: string;
  readonly botUserId: string;
  /** HTTP mode when set (and no app token). */
  readonly signingSecret: string | undefined;
  /** Socket Mode when set. */
  readonly appToken: string | undefined;
  readonly clientOptions: WebClientOptions;
  readonly logger: StructuredLogger;
  /** Socket Mode: how many times a connection call is tried again before a (re)connect fails (tests shorten it). */
  readonly socketConnectRetries?: number;
}

/** About 50 s of a Slack hiccup ridden out before a start in Socket Mode fails (see keepSocketConnected for after). */
const SOCKET_CONNECT_RETRIES = 10;

export type SlackApp =
  | { readonly mode: 'socket'; readonly app: IntakeApp; readonly receiver: SocketModeReceiver }
  | { readonly mode: 'http'; readonly app: App; readonly receiver: HTTPReceiver };

/** The Bolt app with every listener registered; transport only, no business logic here. */
export function createSlackApp(options: SlackAppOptions, services: Services): SlackApp {
  const { botToken, botId, botUserId, appToken, signingSecret, logger } = options;
  // Explicit retryConfig: unset, the socket client would share { retries: 100 } with the listeners' client.
  const clientOptions: WebClientOptions = { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5000, ...options.clientOptions, logger };
  // Bolt sets the level of the logger it is given: pass ours back so LOG_LEVEL holds. convoStore off: Greenlight
  // keeps its state in SQLite, Bolt's in-memory conversation store would be unused work on every request.
  const appOptions = { token: botToken, botId, botUserId, clientOptions, logger, logLevel: logger.getLevel(), convoStore: false as const };
  const intake = flagReactionIntake(services, botUserId);
  let slack: SlackApp;
  if (appToken) {
    // The socket client gets its own options: its connection calls (apps.connections.open) must retry through a
    // passing Slack hiccup, while the listeners' client never re-sends.
    const receiver = new SocketModeReceiver({
      appToken,
      logger,
      logLevel: logger.getLevel(),
      installerOptions: { clientOptions: { ...options.clientOptions, retryConfig: { retries: options.socketConnectRetries ?? SOCKET_CONNECT_RETRIES, factor: 1.3 } } },
    });
    const app = new IntakeApp({ ...appOptions, receiver }, intake, logger, true);
    // Slack asking for a reconnect closes the socket: the requests being answered on it are answered first.
    guardSocketMessages(receiver.client, logger, () => app.answered(SLACK_ANSWER_MS));
    slack = { mode: 'socket', app, receiver };
  } else {
    if (!signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    // The receiver never listens itself: requests reach it only through Greenlight's front door
    // (http-server.ts), which has already checked size, signature and timestamp in both directions.
    // Checking again would be a second HMAC and a slower compare on every request.
    const receiver = new HTTPReceiver({
      signingSecret,
      signatureVerification: false,
      endpoints: EVENTS_PATH,
      processBeforeResponse: false,
      unhandledRequestHandler: answerTimedOut(logger),
      logger,
      logLevel: logger.getLevel(),
    });
    const app = new IntakeApp({ ...appOptions, receiver }, intake, logger);
    slack = { mode: 'http', app, receiver };
  }
  registerCommands(slack.app, services);
  registerActions(slack.app, services);
  registerViews(slack.app, services);
  registerShortcuts(slack.app, services);
  registerEvents(slack.app, services);
  // One place for the unexpected: logged with what is known, never with the payload's secrets.
  slack.app.error(async (error) => {
    if (isAnswerAfterTimeout(error)) {
      logger.log(LogLevel.WARN, 'answer to Slack dropped: it came after the 3 s timeout answer');
      return;
    }
    logger.log(LogLevel.ERROR, 'listener failed', { code: error.code, error: error.message });
  });
  return slack;
}
