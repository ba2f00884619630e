import type { App } from '@slack/bolt';
import type { Services } from '../services';
import { handleReactionAdded } from './reaction-added';

export function registerEvents(app: App, services: Services): void {
  app.event('reaction_added', handleReactionAdded(services));
}
