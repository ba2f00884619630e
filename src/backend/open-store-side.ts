import fs from 'node:fs';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { DeliveryWorker, type WorkerOptions } from '../delivery/delivery-worker';
import { DurableFirstClient } from '../delivery/durable-client';
import { ResponseUrlError } from '../delivery/failure';
import type { Roster } from '../core/routing';
import type { StructuredLogger } from '../log/logger';
import { DeadlineScanner } from '../scheduler/deadline-scanner';
import { backgroundCheckpoints, type Checkpointer } from '../store/checkpointer';
import { openStore, type Store } from '../store/store';
import { backendOps, type Backend } from './backend-ops';
import { watchForNewerSchema } from './watch-schema';

/** What the store side needs to run. */
export interface StoreSideSettings {
  readonly databasePath: string;
  readonly databaseSynchronous: 'FULL' | 'NORMAL';
  readonly botToken: string;
  /** Where the Web API is and how it is reached (the Slack side's client is built from the same options). */
  readonly apiOptions: WebClientOptions;
  /** POSTs a JSON answer to a response_url over the same connections; returns the HTTP status. */
  readonly postJson: (url: string, document: unknown, timeoutMs: number) => Promise<number>;
  /** node-cron expression of the deadline scan; undefined when the caller drives sweeps itself. */
  readonly deadlineScan: string | undefined;
  readonly worker?: WorkerOptions;
  /** The emoji that flags a message (FLAG_EMOJI), as App Home names it to someone who has flagged nothing yet. */
  readonly flagEmoji?: string;
}

/** What the store side reads of the directory, once the Slack side has started it. */
export interface DirectoryReads {
  /** The roles a person holds now: delivery reads it as each notice goes out. */
  rolesOf(userId: string): ReadonlySet<string>;
  /** Every role's members now: the deadline sweep seats an escalation's tier from it, cards offer Escalate by it. */
  roster(): Roster;
}

/** The store, the outbox's delivery worker and the deadline scanner: everything that writes to the database. */
export interface StoreSide {
  readonly store: Store;
  readonly worker: DeliveryWorker;
  readonly scanner: DeadlineScanner;
  /** What the Slack listeners use: the store's named operations, and the delivery worker's doorbell. */
  readonly backend: Backend;
  /**
   * The Web API client: it neither re-sends nor pauses every channel on one 429, and waits for the commits
   * a call may render to be durable. The Slack side's reads (auth.test, the directory) use it too.
   */
  readonly client: WebClient;
  /**
   * Starts delivery, checkpoints and the scanner, once the Slack side has checked the token (learning who Greenlight
   * is: `self`) and read the directory.
   */
  begin(directory: DirectoryReads, self: { readonly botUserId: string; readonly botId: string }): void;
  stop(): Promise<void>;
}

/**
 * Opens the store (throwing StoreError with a clear message when it cannot) and builds what works on it.
 * Nothing is sent, swept or checkpointed until `begin()`.
 */
export function openStoreSide(settings: StoreSideSettings, logger: StructuredLogger, clock: () => number, onFatal: (error: Error) => void): StoreSide {
  const created = settings.databasePath !== ':memory:' && !fs.existsSync(settings.databasePath);
  // Under Slack's 3 s: a request that meets a lock held by another process still gets a clear answer.
  const store = openStore(settings.databasePath, {
    synchronous: settings.databaseSynchronous,
    busyTimeoutMs: 2000,
    onSyncFailure: (error) => {
      logger.log(LogLevel.ERROR, 'the database log could not be written to disk; refusing all writes until Greenlight restarts', { error: error.message });
      onFatal(error);
    },
  });
  if (created) {
    // A DATABASE_PATH changed without moving the file looks like any start otherwise, with every open moment forgotten.
    logger.log(LogLevel.INFO, 'created a new, empty database: no moments from before', {
      databasePath: path.resolve(settings.databasePath),
      ifUnexpected: 'Greenlight ran before on another file: stop it, move that .db (with its -wal file) here or set DATABASE_PATH back to it',
    });
  }
  if (settings.databaseSynchronous === 'FULL' && settings.databasePath !== ':memory:' && !store.syncsOffLoop) {
    logger.log(LogLevel.WARN, 'the database log could not be opened for syncing: SQLite fsyncs inside each commit instead (slower, as safe)', { databasePath: settings.databasePath });
  }
  // Delivery does its own retries and pacing: the client must neither re-send nor pause every channel on one 429.
  // Its calls wait for the commits they may render to be durable (DurableFirstClient).
  const client = new DurableFirstClient(
    settings.botToken,
    { ...settings.apiOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000, logger },
    () => store.durable(),
  );
  // The directory exists only once the Slack side has started (it reads Slack through this side's client).
  let directoryReads: DirectoryReads | undefined;
  let identity: { readonly botUserId: string; readonly botId: string } | undefined;
  const worker = new DeliveryWorker(
    {
      store,
      client,
      clock,
      logger,
      postToResponseUrl: (url, body) => store.durable().then(() => postToResponseUrl(settings.postJson, url, body)),
      rolesOf: (userId) => directoryReads?.rolesOf(userId),
      roster: () => directoryReads?.roster(),
      self: () => identity,
      flagEmoji: settings.flagEmoji,
    },
    settings.worker,
  );
  const scanner = new DeadlineScanner(store, clock, logger, () => worker.kick());
  let checkpointer: Checkpointer | undefined;
  let stopSchemaWatch: (() => void) | undefined;
  return {
    store,
    worker,
    scanner,
    // A press applies a due deadline as the sweep would, waiting as it does for a role not read yet.
    backend: { ...backendOps(store, clock, () => scanner.currentRoster()), notify: () => worker.kick() },
    client,
    begin(directory, self): void {
      directoryReads = directory;
      identity = self;
      scanner.useRoster(() => directory.roster());
      checkpointer = backgroundCheckpoints(store, settings.databasePath, settings.databaseSynchronous, (error, fatal) =>
        logger.log(fatal ? LogLevel.ERROR : LogLevel.WARN, fatal ? 'checkpoint thread failed, checkpointing inline' : 'checkpoint failed', { error }),
      );
      stopSchemaWatch = watchForNewerSchema(store, logger, onFatal);
      worker.start();
      if (settings.deadlineScan !== undefined) {
        scanner.start(settings.deadlineScan);
        // What fell due while Greenlight was down is applied now, before Slack is let in, not at the first tick.
        scanner.sweep();
      }
    },
    async stop(): Promise<void> {
      stopSchemaWatch?.();
      await scanner.stop();
      await worker.stop();
      await checkpointer?.stop();
      store.close();
    },
  };
}

async function postToResponseUrl(postJson: StoreSideSettings['postJson'], url: string, body: Record<string, unknown>): Promise<void> {
  const status = await postJson(url, body, 10_000);
  if (status < 200 || status >= 300) throw new ResponseUrlError(status);
}
