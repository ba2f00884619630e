import type { App, BlockAction } from '@slack/bolt';
import { ACTION } from '../ids';
import type { Services } from '../services';
import { handleOnePress, handleRejectButton } from './decision-buttons';

export function registerActions(app: App, services: Services): void {
  app.action<BlockAction>(ACTION.approve, handleOnePress(services, 'approve'));
  app.action<BlockAction>(ACTION.reject, handleRejectButton(services));
  app.action<BlockAction>(ACTION.escalate, handleOnePress(services, 'escalate'));
  app.action<BlockAction>(ACTION.withdraw, handleOnePress(services, 'withdraw'));
}
