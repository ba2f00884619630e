import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import { ACTION } from '../../src/slack/ids';
import { parseTestRouting, PEOPLE, startTestStandIn, testConfig } from '../helpers/harness';
import { blockActionBody, signed, slashCommandBody } from '../helpers/slack-requests';

const MINUTE = 60_000;
/** A valid cron expression whose first tick is months away: only the start's own sweep can apply a deadline. */
const NEVER_SOON = '0 0 0 1 1 *';

/**
 * Greenlight stopped while a crisis moment's first tier ran out: at the next start the deadline is applied before Slack
 * is let in, not at the first tick of the scan, so the tier whose window closed cannot decide the moment meanwhile.
 */
test('deadlines that fell due while Greenlight was down are applied at start, before the first press', async () => {
  const standIn = await startTestStandIn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-start-sweep-'));
  const databasePath = path.join(dir, 'greenlight.db');
  let offset = 0;
  const clock = () => Date.now() + offset;
  const logger = createLogger({ level: LogLevel.ERROR, secrets: [], write: () => undefined });
  const start = (): Promise<Greenlight> =>
    startGreenlight({
      config: { ...testConfig({ apiUrl: standIn.url, databasePath }), deadlineScan: NEVER_SOON },
      routing: parseTestRouting(),
      logger,
      clock,
      host: '127.0.0.1',
      worker: { postGapMs: 0, pollMs: 50 },
    });
  const post = async (app: Greenlight, body: string) => {
    const request = signed(body, 'application/x-www-form-urlencoded');
    await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
  };
  try {
    // given a crisis moment (comms and legal, ten minutes a tier), then Greenlight down for 15 minutes
    const first = await start();
    await post(first, slashCommandBody(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"', { responseUrl: standIn.responseUrl('cmd') }));
    await first.worker.settled(10_000);
    await first.stop();
    offset += 15 * MINUTE;

    // when it starts again
    const second = await start();
    try {
      // then the moment went on to the leads at start, and they were asked
      expect(second.store.moments.get(1)?.tier).toBe(1);
      await second.worker.settled(10_000);
      expect(standIn.messages(standIn.dmChannelFor(PEOPLE.lead))).toHaveLength(1);
      // and comms and legal pressing Approve on their tier-0 DMs do not approve it
      await post(second, blockActionBody(PEOPLE.cal, ACTION.approve, '1:1:0', { responseUrl: standIn.responseUrl('c1') }));
      await post(second, blockActionBody(PEOPLE.leo, ACTION.approve, '1:1:0', { responseUrl: standIn.responseUrl('c2') }));
      await second.worker.settled(10_000);
      expect(second.store.moments.get(1)?.state.status).toBe('pending');
    } finally {
      await second.stop();
    }
  } finally {
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
