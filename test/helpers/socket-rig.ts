import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import type { SlackStandIn, StoredMessage } from '../../src/sandbox/slack-stand-in';
import { parseTestRouting, PEOPLE, REVIEW_CHANNEL, startTestStandIn, testConfig } from './harness';
import { BOT_TOKEN, slashCommandPayload } from './slack-requests';

export const APP_TOKEN = 'xapp-1-A0GREENLIGHT-1-sandbox';

export interface SocketRig {
  readonly standIn: SlackStandIn;
  app: Greenlight | undefined;
  readonly dir: string;
  readonly logLines: string[];
  command(userId: string, text: string): ReturnType<SlackStandIn['sendSocketEnvelope']>;
  onlyCard(): StoredMessage;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The real Greenlight in Socket Mode against the stand-in, on a database file of its own, its log lines kept. */
export async function startSocketRig(synchronous: 'FULL' | 'NORMAL' = 'NORMAL'): Promise<SocketRig> {
  const standIn = await startTestStandIn({ appToken: APP_TOKEN });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-socket-parity-'));
  const logLines: string[] = [];
  const logger = createLogger({ level: LogLevel.DEBUG, secrets: [BOT_TOKEN, APP_TOKEN], write: (line) => logLines.push(line) });
  const config = testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db'), databaseSynchronous: synchronous });
  const rig: SocketRig = {
    standIn,
    dir,
    logLines,
    app: await startGreenlight({
      config: { ...config, slack: { botToken: BOT_TOKEN, signingSecret: undefined, appToken: APP_TOKEN, apiUrl: standIn.url } },
      routing: parseTestRouting(),
      logger,
      startScanner: false,
      worker: { postGapMs: 0, pollMs: 50 },
      socketConnectRetries: 1,
    }),
    command: (userId, text) => standIn.sendSocketEnvelope('slash_commands', slashCommandPayload(userId, text, { responseUrl: standIn.responseUrl(`cmd-${userId}`) })),
    onlyCard: () => {
      const cards = standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
      expect(cards).toHaveLength(1);
      const card = cards[0];
      if (!card) throw new Error('no card');
      return card;
    },
    settle: async () => {
      await rig.app?.worker.settled(10_000);
    },
    close: async () => {
      await rig.app?.stop();
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

export { PEOPLE };
