import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel } from '@slack/bolt';
import { ErrorCode, type WebClient, type WebClientOptions } from '@slack/web-api';
import { openStoreSide, type StoreSideSettings } from './backend/open-store-side';
import type { AppConfig } from './config';
import type { Routing } from './core/routing-types';
import type { DeliveryWorker, WorkerOptions } from './delivery/delivery-worker';
import type { StructuredLogger } from './log/logger';
import type { DeadlineScanner } from './scheduler/deadline-scanner';
import { createSlackApp } from './slack/app';
import { Directory } from './slack/directory';
import { resumeReactions } from './slack/events/reaction-intake';
import { createHttpServer } from './slack/http-server';
import { createSlackTransport } from './slack/web-api-fetch';
import type { Services } from './slack/services';
import type { Store } from './store/store';

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
  const { config, routing, logger } = options;
  const clock = options.clock ?? Date.now;
  const transport = createSlackTransport();
  const apiOptions: WebClientOptions = { ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}), fetch: transport.fetch };
  const settings: StoreSideSettings = {
    databasePath: config.databasePath,
    databaseSynchronous: config.databaseSynchronous,
    botToken: config.slack.botToken,
    apiOptions,
    postJson: (url, document, timeoutMs) => transport.postJson(url, document, timeoutMs),
    deadlineScan: options.startScanner === false ? undefined : config.deadlineScan,
    worker: options.worker,
  };
  const storeSide = openStoreSide(settings, logger, clock, (error) => options.onFatal?.(error));
  const { client, backend } = storeSide;
  let identity: { botId: string; botUserId: string };
  try {
    identity = await checkBotToken(client, config.slack.apiUrl ?? 'https://slack.com/api/');
  } catch (error) {
    await storeSide.stop();
    await transport.close();
    throw error;
  }
  const directory = new Directory(routing, client, logger);
  await directory.refresh();
  const services: Services = { backend, routing, directory, clock, logger, flagEmoji: config.flagEmoji };
  const slack = createSlackApp(
    {
      botToken: config.slack.botToken,
      ...identity,
      signingSecret: config.slack.signingSecret,
      appToken: config.slack.appToken,
      clientOptions: apiOptions,
      logger,
    },
    services,
  );
  const refresh = setInterval(() => void directory.refresh(), 5 * 60_000);
  refresh.unref();
  const resumeSafely = () =>
    resumeReactions(services, client).catch((error: unknown) => logger.log(LogLevel.ERROR, 'resuming reactions failed', { error: String(error) }));
  const resume = setInterval(resumeSafely, 30_000);
  resume.unref();
  storeSide.begin();
  void resumeSafely();

  let server: http.Server | undefined;
  let port: number | undefined;
  if (slack.mode === 'http') {
    const signingSecret = config.slack.signingSecret ?? '';
    server = createHttpServer({ receiver: slack.receiver, signingSecret, logger, clock: Date.now, health: () => true });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.port, options.host, () => resolve());
    });
    port = (listening.address() as AddressInfo).port;
    logger.log(LogLevel.INFO, 'Greenlight is listening', { mode: 'http', port });
  } else {
    await slack.app.start();
    logger.log(LogLevel.INFO, 'Greenlight is connected', { mode: 'socket' });
  }

  return {
    port,
    store: storeSide.store,
    worker: storeSide.worker,
    scanner: storeSide.scanner,
    directory,
    resumeReactions: resumeSafely,
    async stop(): Promise<void> {
      clearInterval(refresh);
      clearInterval(resume);
      if (server) {
        const closing = server;
        await new Promise<void>((resolve) => closing.close(() => resolve()));
        closing.closeAllConnections();
      } else {
        // Bolt's stop does not wait for the socket to close; the client's disconnect does.
        if (slack.mode === 'socket') await slack.receiver.client.disconnect();
      }
      await storeSide.stop();
      await transport.close();
    },
  };
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
async function checkBotToken(client: WebClient, apiUrl: string): Promise<{ botId: string; botUserId: string }> {
  try {
    const result = await client.auth.test();
    if (typeof result.bot_id === 'string' && typeof result.user_id === 'string') return { botId: result.bot_id, botUserId: result.user_id };
    throw new StartupError('SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…) from OAuth & Permissions');
  } catch (error) {
    if (error instanceof StartupError) throw error;
    // No answer at all is a network problem, not a bad token: say so, so nobody regenerates a good token.
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === ErrorCode.RequestError) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StartupError(`Greenlight cannot reach Slack at ${apiUrl} (${reason}): check the network, a proxy, or SLACK_API_URL`);
    }
    const data = typeof error === 'object' && error !== null && 'data' in error ? (error as { data?: { error?: unknown } }).data : undefined;
    const reason = typeof data?.error === 'string' ? data.error : error instanceof Error ? error.message : String(error);
    throw new StartupError(`Slack refused SLACK_BOT_TOKEN (${reason}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions again, and reinstall the app if it was revoked`);
  }
}
