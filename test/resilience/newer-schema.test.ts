import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_CHECK_MS } from '../../src/backend/watch-schema';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { migrations } from '../../src/store/migrations';
import { startTestStandIn, TEST_ROUTING } from '../helpers/harness';
import { botEnv, exitWithin, freePort, spawnBot, waitHealthy } from './child';

/**
 * A deploy that starts the new Greenlight before the old one exits: once the new one has migrated the database, the
 * old one stops rather than go on with a schema it does not know.
 */

let standIn: SlackStandIn;
let dir: string;
beforeEach(async () => {
  standIn = await startTestStandIn();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-newer-schema-'));
  fs.writeFileSync(path.join(dir, 'routing.yml'), TEST_ROUTING);
});
afterEach(async () => {
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a running Greenlight whose database a newer one migrates exits with code 1 and says why', async () => {
  const port = await freePort();
  const bot = spawnBot(botEnv(standIn.url, dir, port), dir);
  try {
    await waitHealthy(bot, port, 30_000);
    // when a newer Greenlight migrates the file one version past this one's
    const newer = new Database(path.join(dir, 'greenlight.db'));
    newer.pragma(`user_version = ${migrations.length + 1}`);
    newer.close();
    // then the running one stops at its next check, with the reason on stderr
    expect(await exitWithin(bot, SCHEMA_CHECK_MS + 10_000)).toBe(1);
    expect(bot.stderr()).toContain(`Greenlight stopped: a newer Greenlight upgraded the database (the database has schema version ${migrations.length + 1}`);
  } finally {
    await bot.kill();
  }
}, 60_000);
