import type { App, BlockAction } from '@slack/bolt';
import { ACTION } from '../ids';
import type { Services } from '../services';
import { handleApprove, handleRejectButton } from './decision-buttons';

export function registerActions(app: App, services: Services): void {
  app.action<BlockAction>(ACTION.approve, handleApprove(services));
  app.action<BlockAction>(ACTION.reject, handleRejectButton(services));
}
