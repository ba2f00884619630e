import { App, type AppOptions, type ReceiverEvent } from '@slack/bolt';

/**
 * Stores what must be durable before Slack is answered and resolves to context properties for the listeners;
 * undefined, synchronously, for a request with nothing to store (every button press and command).
 */
export type EventIntake = (body: unknown) => Promise<Record<string, unknown>> | undefined;

/**
 * Bolt's App with one step before its dispatch, for both receivers: Bolt acknowledges Events API requests
 * before any middleware or listener runs, so what must survive that acknowledgement is stored here first.
 * When the intake throws, the request fails unacknowledged (HTTP 500, or no Socket Mode ack) and Slack sends
 * the event again.
 */
export class IntakeApp extends App {
  constructor(
    options: AppOptions,
    private readonly intake: EventIntake,
  ) {
    super(options);
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    const storing = this.intake(event.body);
    if (!storing) return super.processEvent(event);
    const properties = await storing;
    return super.processEvent({ ...event, customProperties: { ...event.customProperties, ...properties } });
  }
}
