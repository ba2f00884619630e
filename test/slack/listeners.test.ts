import { LogLevel } from '@slack/bolt';
import { parseRouting } from '../../src/config/load-routing';
import { backendOps } from '../../src/backend/backend-ops';
import { createLogger } from '../../src/log/logger';
import { createSlackApp } from '../../src/slack/app';
import { BackgroundWork } from '../../src/slack/background-work';
import { ACTION, VIEW } from '../../src/slack/ids';
import { oneOf } from '../../src/slack/listener-pattern';
import type { Services } from '../../src/slack/services';
import { DESIGN_EXAMPLE, routingOf } from '../config/routing-fixtures';
import { memoryStore } from '../store/store-fixtures';

describe('listener registration', () => {
  test('Greenlight registers one Bolt listener per surface, since Bolt runs every listener on every request', () => {
    // given the Slack app built as at start
    const { store } = memoryStore();
    const logger = createLogger({ level: LogLevel.ERROR, write: () => undefined });
    const services: Services = {
      backend: { ...backendOps(store, Date.now), notify: () => undefined },
      routing: routingOf(parseRouting(DESIGN_EXAMPLE, 'routing.yml')),
      directory: { membersByRole: () => new Map(), roster: () => ({ members: new Map(), unread: new Set() }), rolesOf: () => new Set(), unreadRoles: () => new Set(), watchesGroup: () => false, refresh: async () => undefined, leftGroup: async () => undefined },
      clock: Date.now,
      logger,
      flagEmoji: 'zap',
      background: new BackgroundWork(),
      names: { namesOf: async () => new Map() },
    };
    const slack = createSlackApp({ botToken: 'xoxb-1', botId: 'B1', botUserId: 'U1', signingSecret: 'secret', appToken: undefined, clientOptions: {}, logger }, services);
    // then there are five: the command, the buttons, the modals, the shortcut and the events
    const listeners = (slack.app as unknown as { listeners: unknown[] }).listeners;
    expect(listeners).toHaveLength(5);
    store.close();
  });

  test('a listener pattern matches exactly the ids it was given', () => {
    const actions = oneOf(Object.values(ACTION));
    for (const id of Object.values(ACTION)) expect(actions.test(id)).toBe(true);
    expect(actions.test(`${ACTION.approve}_x`)).toBe(false);
    expect(actions.test(`x${ACTION.approve}`)).toBe(false);
    expect(actions.test(VIEW.flag)).toBe(false);
    expect(oneOf(['a.b']).test('axb')).toBe(false);
  });
});
