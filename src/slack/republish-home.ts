import { LogLevel } from '@slack/bolt';
import type { Fields } from '../log/logger';
import type { Services } from './services';

/**
 * A press or form from App Home has no channel or response_url to answer in: the Home is queued to be published
 * again, rendered as the moment is by then (withdrawn, revised, or why the press changed nothing). The press is
 * already recorded and acknowledged; a failure here only leaves the Home as it was until the person opens it again.
 */
export async function republishHome(services: Services, userId: string, fields: Fields): Promise<void> {
  try {
    await services.backend.publishHome(userId);
  } catch (error) {
    services.logger.log(LogLevel.WARN, 'App Home not queued for publishing after a press in it', { ...fields, error: error instanceof Error ? error.message : String(error) });
  }
}
