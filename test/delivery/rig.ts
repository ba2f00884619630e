/**
 * A test rig for delivery and restart tests: one Slack stand-in that outlives several Greenlight
 * instances started one after another on the same database file (a restart), with stand-in options
 * the shared harness does not expose (missing and archived channels, extra users).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import { backUpDatabase } from '../../src/store/back-up';
import type { SlackStandIn, StandInOptions } from '../../src/sandbox/slack-stand-in';
import { parseTestRouting, startTestStandIn, testConfig } from '../helpers/harness';
import { blockActionBody, BOT_TOKEN, signed, SIGNING_SECRET, slashCommandBody } from '../helpers/slack-requests';

export interface RigOptions {
  readonly routingYaml?: string;
  readonly standIn?: Partial<StandInOptions>;
  /** Where the apps' ERROR lines go (nowhere when unset). */
  readonly logLines?: string[];
}

export interface RigApp {
  readonly app: Greenlight;
  readonly baseUrl: string;
  /** `/moment <text>`; the confirmation goes to the response_url kept under `cmd-<user>`. */
  command(userId: string, text: string, triggerId?: string): Promise<{ status: number; text: string }>;
  click(userId: string, actionId: string, value: string): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

export interface Rig {
  readonly standIn: SlackStandIn;
  readonly dir: string;
  readonly databasePath: string;
  /** Starts a Greenlight on the rig's database (no post pacing, fast polling, no cron scanner), talking to `apiUrl` or the stand-in. */
  start(worker?: { postGapMs?: number; pollMs?: number; apiUrl?: string }): Promise<RigApp>;
  /** A backup of the database, running or not, as `npm run backup` takes it; its path. */
  backUp(): Promise<string>;
  /** Puts `backup` in the database's place, as the README says to restore (Greenlight stopped). */
  restore(backup: string): void;
  close(): Promise<void>;
}

const FORM = 'application/x-www-form-urlencoded';

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const standIn = await startTestStandIn(options.standIn);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-delivery-'));
  const databasePath = path.join(dir, 'greenlight.db');
  const routing = parseTestRouting(options.routingYaml);
  const running = new Set<RigApp>();

  const start = async (worker: { postGapMs?: number; pollMs?: number; apiUrl?: string } = {}): Promise<RigApp> => {
    const logger = createLogger({ level: LogLevel.ERROR, secrets: [BOT_TOKEN, SIGNING_SECRET], write: (line) => options.logLines?.push(line) });
    const app = await startGreenlight({
      config: testConfig({ apiUrl: worker.apiUrl ?? standIn.url, databasePath }),
      routing,
      logger,
      host: '127.0.0.1',
      startScanner: false,
      // Tests count Slack's calls per channel: the start's channel check is left out (see startHarness).
      checkChannels: false,
      worker: { postGapMs: worker.postGapMs ?? 0, pollMs: worker.pollMs ?? 50 },
    });
    const baseUrl = `http://127.0.0.1:${app.port}`;
    const post = async (body: string) => {
      const request = signed(body, FORM);
      const response = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
      return { status: response.status, text: await response.text() };
    };
    let stopped = false;
    const handle: RigApp = {
      app,
      baseUrl,
      command: (userId, text, triggerId) =>
        post(slashCommandBody(userId, text, { responseUrl: standIn.responseUrl(`cmd-${userId}`), ...(triggerId ? { triggerId } : {}) })),
      click: (userId, actionId, value) => post(blockActionBody(userId, actionId, value, { responseUrl: standIn.responseUrl(`click-${userId}`) })),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        running.delete(handle);
        await app.stop();
      },
    };
    running.add(handle);
    return handle;
  };

  return {
    standIn,
    dir,
    databasePath,
    start,
    backUp: async () => {
      const backup = path.join(dir, 'backup.db');
      await backUpDatabase(databasePath, backup);
      return backup;
    },
    restore: (backup) => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(databasePath + suffix, { force: true });
      fs.copyFileSync(backup, databasePath);
    },
    close: async () => {
      for (const app of [...running]) await app.stop();
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves after `ms`; every wait in these tests is bounded. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
