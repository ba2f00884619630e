import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../services';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Opening Greenlight's Home tab queues a fresh Home for that person (published by the outbox). */
export function handleAppHomeOpened(services: Services) {
  return async ({ event }: HomeArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await services.backend.publishHome(event.user);
    services.backend.notify();
  };
}
