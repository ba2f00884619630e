import type { App } from '@slack/bolt';
import { COMMAND } from '../ids';
import type { Services } from '../services';
import { handleMomentCommand } from './moment-command';

export function registerCommands(app: App, services: Services): void {
  app.command(COMMAND, handleMomentCommand(services));
}
