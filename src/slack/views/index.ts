import type { App, ViewSubmitAction } from '@slack/bolt';
import { VIEW } from '../ids';
import type { Services } from '../services';
import { handleFlagSubmission } from './flag-submission';
import { handleRejectSubmission } from './reject-submission';

export function registerViews(app: App, services: Services): void {
  app.view<ViewSubmitAction>(VIEW.reject, handleRejectSubmission(services));
  app.view<ViewSubmitAction>(VIEW.flag, handleFlagSubmission(services));
}
