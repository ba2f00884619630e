import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * A role the routing file no longer names is held by whoever was assigned it (HeldRoles): the Home lists the moment as
 * waiting on them and their press counts. `/moment list` ("… with you among its reviewers") must list it too.
 */
let h: Harness | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-held-'));
const databasePath = path.join(dir, 'greenlight.db');
afterEach(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
const ackText = (r: { text: string }) => (JSON.parse(r.text) as { text: string }).text;

test('after the routing file renames a role, /moment list still lists the moment waiting on its assigned reviewer', async () => {
  // given a sports moment assigned to ana as brand
  h = await startHarness({ databasePath });
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  await h.close();
  // and Greenlight restarted with brand renamed marketing (same members)
  h = await startHarness({ databasePath, routingYaml: TEST_ROUTING.replace('brand: {', 'marketing: {').replace(/require: \{ brand: 1 \}/g, 'require: { marketing: 1 }') });
  // when ana opens her Home and asks for the list in a channel of her own
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => h!.standIn.homeView(PEOPLE.ana) !== undefined, 5000, "ana's home");
  const list = ackText(await h.command(PEOPLE.ana, 'list', { channel: 'C0ELSEWHERE' }));
  // then the Home says it waits on her (as brand) ...
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.ana))).toContain('Oreo');
  // ... and the list, which promises the moments "with you among its reviewers", lists it too
  expect(list).toContain('Oreo');
  // (it is hers indeed: her approval decides it)
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
});
