import type { App } from '@slack/bolt';
import type { Services } from '../services';
import { handleAppHomeOpened } from './app-home-opened';
import { handleReactionAdded } from './reaction-added';

export function registerEvents(app: App, services: Services): void {
  app.event('reaction_added', handleReactionAdded(services));
  app.event('app_home_opened', handleAppHomeOpened(services));
}
