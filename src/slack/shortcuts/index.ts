import type { App, MessageShortcut } from '@slack/bolt';
import { SHORTCUT } from '../ids';
import type { Services } from '../services';
import { handleFlagMessageShortcut } from './flag-message';

export function registerShortcuts(app: App, services: Services): void {
  app.shortcut<MessageShortcut>(SHORTCUT.flagMessage, handleFlagMessageShortcut(services));
}
