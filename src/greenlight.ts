import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { ErrorCode, type WebClient, type WebClientOptions } from '@slack/web-api';
import { openStoreSide, type StoreSide, type StoreSideSettings } from './backend/open-store-side';
import type { AppConfig } from './config';
import type { Routing } from './core/routing-types';
import type { DeliveryWorker, WorkerOptions } from './delivery/delivery-worker';
import { PersonNames } from './delivery/person-names';
import type { StructuredLogger } from './log/logger';
import type { DeadlineScanner } from './scheduler/deadline-scanner';
import { createSlackApp } from './slack/app';
import { BackgroundWork } from './slack/background-work';
import { missingScopes } from './slack/bot-scopes';
import { Directory } from './slack/directory';
import { GroupDepartures } from './slack/group-departures';
import { keepDirectoryFresh } from './slack/keep-directory-fresh';
import { keepSocketConnected } from './slack/keep-socket-connected';
import { resumeReactions } from './slack/events/reaction-intake';
import { createHttpServer } from './slack/http-server';
import { checkReviewChannels } from './slack/check-review-channels';
import { createSlackTransport } from './slack/create-slack-transport';
import type { Services, Workspace } from './slack/services';
import type { Store } from './store/store';

/**
 * How long requests in progress get to finish when Greenlight stops. Slack shows a timeout after 3 s anyway, and a
 * request cut short still completes or fails whole in the database; supervisors wait 10 s or more before SIGKILL.
 */
export const STOP_GRACE_MS = 3_000;

export interface GreenlightOptions {
  readonly config: AppConfig;
  readonly routing: Routing;
  readonly logger: StructuredLogger;
  readonly clock?: () => number;
  /** Interface to listen on in HTTP mode; all interfaces when unset. */
  readonly host?: string;
  readonly worker?: WorkerOptions;
  /** Tests and benchmarks drive sweeps themselves. */
  readonly startScanner?: boolean;
  /** Socket Mode: connection calls tried again before a (re)connect fails; tests shorten it. */
  readonly socketConnectRetries?: number;
  /** Whether each review channel is read once at start (see checkReviewChannels); tests that count Slack's calls leave it out. */
  readonly checkChannels?: boolean;
  /**
   * Greenlight can no longer keep its promises (the database log could not be synced): the entry point exits so
   * a supervisor restarts it, and SQLite recovers from what is on disk. Unset, the store just refuses all writes.
   */
  readonly onFatal?: (error: Error) => void;
}

export interface Greenlight {
  /** The HTTP port actually bound (HTTP mode), useful with PORT=0. */
  readonly port: number | undefined;
  readonly store: Store;
  readonly worker: DeliveryWorker;
  readonly scanner: DeadlineScanner;
  readonly directory: Directory;
  /** Turns flag reactions stored before a crash (or while Slack was unreachable) into moments. */
  resumeReactions(): Promise<void>;
  stop(): Promise<void>;
}

/** Opens the store, checks the token, resolves reviewers, starts delivery, the Slack app and the deadline scanner. */
export async function startGreenlight(options: GreenlightOptions): Promise<Greenlight> {
  const { config, logger } = options;
  const clock = options.clock ?? Date.now;
  const transport = createSlackTransport();
  const apiOptions: WebClientOptions = { ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}), fetch: transport.fetch };
  const settings: StoreSideSettings = {
    databasePath: config.databasePath,
    databaseSynchronous: config.databaseSynchronous,
    botToken: config.slack.botToken,
    apiOptions,
    postJson: transport.postJson,
    deadlineScan: options.startScanner === false ? undefined : config.deadlineScan,
    worker: options.worker,
    flagEmoji: config.flagEmoji,
  };
  const storeSide = openStoreSide(settings, logger, clock, (error) => options.onFatal?.(error));
  // What has started, stopped in reverse order by stop() or by a start that fails halfway.
  const started: (() => Promise<void> | void)[] = [() => transport.close(), () => storeSide.stop()];
  try {
    return await startSlackSide(options, clock, storeSide, apiOptions, started);
  } catch (error) {
    // The start's own error is the one to report; a failure to stop what had started is only logged.
    await stopAll(started).catch((stopError: unknown) => logger.log(LogLevel.WARN, 'stopping after a failed start failed', { error: String(stopError) }));
    throw error;
  }
}

/** Checks the token, resolves reviewers, starts delivery and the scanner, then opens the door to Slack. */
async function startSlackSide(
  options: GreenlightOptions,
  clock: () => number,
  storeSide: StoreSide,
  apiOptions: WebClientOptions,
  started: (() => Promise<void> | void)[],
): Promise<Greenlight> {
  const { config, routing, logger } = options;
  const { client, backend } = storeSide;
  const { team, workspace, scopes, ...identity } = await checkBotToken(client, config.slack.apiUrl ?? 'https://slack.com/api/');
  const missing = scopes === undefined ? [] : missingScopes(scopes);
  if (missing.length > 0) {
    // Not a refusal: a flag by /moment works without reactions:read, and Slack names the token's scopes on its answers.
    logger.log(LogLevel.WARN, 'the bot token lacks scopes Greenlight needs', {
      missing: missing.map((m) => `${m.scope} (${m.for})`).join('; '),
      fix: 'add them to the Slack app (manifest.json lists every scope Greenlight needs), then reinstall the app',
    });
  }
  // What the person running Greenlight checks first: the workspace the token belongs to, the database file in use.
  const where = { team, database: config.databasePath === ':memory:' ? ':memory:' : path.resolve(config.databasePath) };
  // Shared with the other processes on the database: Slack tells one of them of a user group's change.
  const directory = new Directory(routing, client, logger, clock, new GroupDepartures(backend, logger));
  await directory.refresh();
  const background = new BackgroundWork();
  const names = new PersonNames(client, clock);
  const services: Services = { backend, routing, directory, clock, logger, flagEmoji: config.flagEmoji, background, names, workspace };
  const slack = createSlackApp(
    {
      botToken: config.slack.botToken,
      ...identity,
      signingSecret: config.slack.signingSecret,
      appToken: config.slack.appToken,
      clientOptions: apiOptions,
      logger,
      socketConnectRetries: options.socketConnectRetries,
    },
    services,
  );
  // Stopped after the door closes and the timers stop (so nothing new starts), before the store closes.
  started.push(() => drainBackground(background, logger));
  const stopRefreshing = keepDirectoryFresh(directory);
  const resumeSafely = () =>
    background.run(() =>
      resumeReactions(services, client).catch((error: unknown) => logger.log(LogLevel.ERROR, 'resuming reactions failed', { error: String(error) })),
    );
  const resume = setInterval(resumeSafely, 30_000);
  resume.unref();
  started.push(() => {
    stopRefreshing();
    clearInterval(resume);
  });
  storeSide.begin({ rolesOf: (userId) => directory.rolesOf(userId), roster: () => directory.roster() }, identity);
  // From here on a change of who is in a role shows on the open cards it touches.
  directory.onRosterChange((before, after) =>
    background.run(() =>
      backend
        .refreshCards(before, after)
        .then((queued) => {
          if (queued === 0) return;
          logger.log(LogLevel.INFO, 'reviewers changed, open cards and DMs queued for an update', { moments: queued });
          backend.notify();
        })
        .catch((error: unknown) => logger.log(LogLevel.ERROR, 'updating open cards after a change of reviewers failed', { error: String(error) })),
    ),
  );
  // And a change made while Greenlight was down, which no listener heard: the first read against the roster saved. The
  // comparison is awaited (a read); the updates it calls for are not, like a change heard live: with many open moments
  // they take a while, and Slack must not wait on them.
  const current = directory.roster();
  const { behind, gone } = await backend.rosterSinceShown(current).catch((error: unknown) => {
    logger.log(LogLevel.ERROR, 'reading the reviewers the open cards show failed', { error: String(error) });
    return { behind: false, gone: [] };
  });
  // A moment keeps the rules it was flagged with, its roles by name: in a role the file no longer names, the people
  // assigned at the flag go on deciding (HeldRoles), whoever is in it now. The operator hears it at once.
  if (gone.length > 0) {
    logger.log(LogLevel.WARN, 'roles gone from the routing file since the last run: open moments that need them are decided in them by the people assigned at the flag', { roles: gone.join(', ') });
  }
  if (behind) {
    // The directory as it is when the refresh is asked (a change heard during the read above has run by then).
    const now = directory.roster();
    void background.run(() =>
      backend
        .refreshCards(now, now)
        .then((queued) => {
          // A change that touched no open moment's card or DMs (a role none of them uses) is no news to the operator.
          if (queued === 0) return;
          logger.log(LogLevel.INFO, 'reviewers changed while Greenlight was stopped, open cards and DMs queued for an update', { moments: queued });
          backend.notify();
        })
        .catch((error: unknown) => logger.log(LogLevel.ERROR, 'updating open cards after a change of reviewers failed', { error: String(error) })),
    );
  }
  void resumeSafely();
  // Neither the start nor a stop waits on it: what it finds is only said (a stop under way silences it).
  if (options.checkChannels !== false) {
    let stopping = false;
    started.push(() => {
      stopping = true;
    });
    void checkReviewChannels(client, routing, logger, () => stopping).catch((error: unknown) => logger.log(LogLevel.WARN, 'review channels not checked', { error: String(error) }));
  }

  let port: number | undefined;
  if (slack.mode === 'http') {
    const signingSecret = config.slack.signingSecret ?? '';
    const server = createHttpServer({ receiver: slack.receiver, signingSecret, logger, clock: Date.now, health: () => true });
    await new Promise<void>((resolve, reject) => {
      // Only the listen's own failure; once listening, the server logs its errors itself.
      const failed = (error: NodeJS.ErrnoException) => reject(listenProblem(error, config.port));
      server.once('error', failed);
      server.listen(config.port, options.host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    started.push(() => closeServer(server));
    port = (server.address() as AddressInfo).port;
    logger.log(LogLevel.INFO, 'Greenlight is listening', { mode: 'http', port, ...where });
  } else {
    await slack.app.start().catch((error: unknown) => {
      throw socketProblem(error, config.slack.apiUrl ?? 'https://slack.com/api/');
    });
    const stopReconnecting = keepSocketConnected(slack.receiver.client, logger, appTokenRefusal, (error) => options.onFatal?.(error));
    // Bolt's stop does not wait for the socket to close; the client's disconnect does. The requests being handled are
    // answered first, for at most STOP_GRACE_MS, as over HTTP: a socket closed under them drops their answers.
    started.push(async () => {
      stopReconnecting();
      await slack.app.answered(STOP_GRACE_MS);
      return slack.receiver.client.disconnect();
    });
    logger.log(LogLevel.INFO, 'Greenlight is connected', { mode: 'socket', ...where });
  }

  return {
    port,
    store: storeSide.store,
    worker: storeSide.worker,
    scanner: storeSide.scanner,
    directory,
    resumeReactions: resumeSafely,
    stop: () => stopAll(started),
  };
}

/**
 * Stops taking requests and lets those already being handled answer, for at most STOP_GRACE_MS. close() ends idle
 * keep-alive connections at once but waits for every open request however stalled (and stops enforcing
 * requestTimeout), so past the grace every connection is closed: a half-sent request must not keep a deploy waiting.
 */
async function closeServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const grace = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
  try {
    await closed;
  } finally {
    clearTimeout(grace);
  }
}

/**
 * Waits for the work begun after Slack was answered, for at most STOP_GRACE_MS: what is left is stored and taken up at
 * the next start (a reaction, the roster to show), so a deploy does not wait on a slow Slack.
 */
async function drainBackground(background: BackgroundWork, logger: StructuredLogger): Promise<void> {
  const running = background.size;
  if (await background.drain(STOP_GRACE_MS)) return;
  logger.log(LogLevel.WARN, 'stopping with work still running; it is taken up at the next start', { running, graceMs: STOP_GRACE_MS });
}

/** Stops everything started, last first; a step that fails does not keep the others running. */
async function stopAll(started: (() => Promise<void> | void)[]): Promise<void> {
  let failure: unknown;
  for (const stop of started.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

/** A port that cannot be listened on is the operator's to fix: said in one line, naming PORT. */
function listenProblem(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code === 'EADDRINUSE') return new StartupError(`port ${port} is already in use, perhaps by a Greenlight already running: stop what listens there, or set PORT to a free port if it is not Greenlight`);
  if (error.code === 'EACCES') return new StartupError(`port ${port} needs more privileges than Greenlight has: set PORT to 1024 or above`);
  return error;
}

/**
 * Slack refusing the Socket Mode connection is about SLACK_APP_TOKEN (the bot token was accepted just before): said
 * in one line naming it, instead of an "unexpected error" that reads like a problem with the bot token.
 */
function socketProblem(error: unknown, apiUrl: string): unknown {
  if (typeof error !== 'object' || error === null || !('code' in error)) return error;
  if (error.code === ErrorCode.RequestError) {
    const reason = error instanceof Error ? error.message : String(error);
    return new StartupError(`Greenlight cannot reach Slack at ${apiUrl} to open Socket Mode (${reason}): check the network, a proxy, or SLACK_API_URL`);
  }
  return appTokenRefusal(error) ?? error;
}

/** Slack refusing the app-level token (at start, or at a reconnect while running): one line naming SLACK_APP_TOKEN. */
function appTokenRefusal(error: unknown): StartupError | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== ErrorCode.PlatformError) return undefined;
  const data = 'data' in error ? (error as { data?: { error?: unknown } }).data : undefined;
  const reason = typeof data?.error === 'string' ? data.error : 'refused';
  return new StartupError(
    `Slack refused SLACK_APP_TOKEN (${reason}): generate an App-Level Token with the connections:write scope under ` +
      'Basic Information → App-Level Tokens, check that Socket Mode is on in the app settings, or leave SLACK_APP_TOKEN empty to use HTTP mode',
  );
}

/** A start problem the person running Greenlight can fix; printed as one line, no stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * Asks Slack who the bot is before anything starts, so a wrong or revoked token stops the start
 * with a clear line instead of failing later inside Bolt.
 */
async function checkBotToken(
  client: WebClient,
  apiUrl: string,
): Promise<{ botId: string; botUserId: string; team: string | undefined; workspace: Workspace | undefined; scopes: readonly string[] | undefined }> {
  try {
    const result = await client.auth.test();
    if (typeof result.bot_id === 'string' && typeof result.user_id === 'string') {
      // The token's scopes, as Slack names them on every answer (x-oauth-scopes); undefined when it did not.
      const scopes = result.response_metadata?.scopes;
      const workspace =
        typeof result.team_id === 'string' && result.team_id !== ''
          ? { teamId: result.team_id, ...(typeof result.enterprise_id === 'string' && result.enterprise_id !== '' ? { enterpriseId: result.enterprise_id } : {}) }
          : undefined;
      return { botId: result.bot_id, botUserId: result.user_id, team: typeof result.team === 'string' ? result.team : undefined, workspace, scopes };
    }
    throw new StartupError('SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…) from OAuth & Permissions');
  } catch (error) {
    if (error instanceof StartupError) throw error;
    // No answer at all is a network problem, not a bad token: say so, so nobody regenerates a good token.
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === ErrorCode.RequestError) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StartupError(`Greenlight cannot reach Slack at ${apiUrl} (${reason}): check the network, a proxy, or SLACK_API_URL`);
    }
    // An HTTP error (a 404 from a wrong path, a proxy's 502) is no answer from Slack's API about the token.
    if (code === ErrorCode.HTTPError) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StartupError(`Greenlight got no Web API answer from ${apiUrl} (${reason}): check SLACK_API_URL (it ends in /api/) or a proxy`);
    }
    const data = typeof error === 'object' && error !== null && 'data' in error ? (error as { data?: { error?: unknown } }).data : undefined;
    const reason = typeof data?.error === 'string' ? data.error : error instanceof Error ? error.message : String(error);
    throw new StartupError(`Slack refused SLACK_BOT_TOKEN (${reason}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions again, and reinstall the app if it was revoked`);
  }
}
