import { App, LogLevel, type AppOptions, type ReceiverEvent } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import { watchedAck } from './late-answers';
import { isRecord } from './payload';
import { logEventsNotice } from './socket-messages';
import { unhandledAnswer, unhandledRequest, unreadableRequest } from './unhandled-requests';

/**
 * Stores what must be durable before Slack is answered and resolves to context properties for the listeners;
 * undefined, synchronously, for a request with nothing to store (every button press and command).
 */
export type EventIntake = (body: unknown) => Promise<Record<string, unknown>> | undefined;

/**
 * Bolt's App with two steps before its dispatch, for both receivers. Bolt acknowledges Events API requests
 * before any middleware or listener runs, so what must survive that acknowledgement is stored here first.
 * When the intake throws, the request fails unacknowledged (HTTP 500, or no Socket Mode ack) and Slack sends
 * the event again. And a command, shortcut, button or form no listener takes is answered at once and logged by
 * its id, for the operator whose app settings no longer match manifest.json: Bolt would let Slack's 3 s run out. A
 * request missing what its listener reads first (see unreadableRequest) is answered at once too.
 */
export class IntakeApp extends App {
  /** Socket Mode: requests not answered yet, and who waits for there to be none (see answered). */
  private unanswered = 0;
  private idle: (() => void)[] = [];

  constructor(
    options: AppOptions,
    private readonly intake: EventIntake,
    private readonly log: StructuredLogger,
    /**
     * Socket Mode: an answer later than Slack's 3 s is logged here (over HTTP the receiver's timeout answer does it), and
     * the requests not answered yet are counted, so the socket is not closed under them (see answered).
     */
    private readonly overSocket = false,
  ) {
    super(options);
  }

  /**
   * Resolves once every request received so far has been answered, or after `maxMs`: a socket closed earlier (a stop,
   * Slack asking for a reconnect) drops their answers, and people see Slack's error instead of what was recorded.
   */
  answered(maxMs: number): Promise<void> {
    if (this.unanswered === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      timer.unref();
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  override async processEvent(received: ReceiverEvent): Promise<void> {
    if (!this.overSocket) return this.handle(received);
    this.unanswered += 1;
    let counted = true;
    const answeredNow = () => {
      if (!counted) return;
      counted = false;
      this.unanswered -= 1;
      if (this.unanswered === 0) for (const wake of this.idle.splice(0)) wake();
    };
    const ack = watchedAck(received.ack, this.log);
    try {
      return await this.handle({
        ...received,
        ack: async (...args: Parameters<typeof ack>) => {
          try {
            await ack(...args);
          } finally {
            answeredNow();
          }
        },
      });
    } finally {
      // Answered or not (a listener that failed before its answer), it is handled.
      answeredNow();
    }
  }

  private async handle(event: ReceiverEvent): Promise<void> {
    const unhandled = unhandledRequest(event.body);
    if (unhandled) {
      this.log.log(LogLevel.WARN, `${unhandled.kind} Greenlight does not handle, answered at once: check that the Slack app's settings match manifest.json`, {
        kind: unhandled.kind,
        id: unhandled.id,
      });
      await event.ack(unhandledAnswer(unhandled));
      return;
    }
    // Over HTTP, Slack's rate-limit notice comes as a request of its own (over Socket Mode, see guardSocketMessages).
    if (isRecord(event.body) && event.body.type === 'app_rate_limited') {
      logEventsNotice(this.log, event.body.type);
      await event.ack();
      return;
    }
    const unreadable = unreadableRequest(event.body);
    if (unreadable) {
      this.log.log(LogLevel.WARN, 'request Greenlight cannot read, answered at once', { reason: unreadable });
      await event.ack();
      return;
    }
    const storing = this.intake(event.body);
    if (!storing) return super.processEvent(event);
    const properties = await storing;
    return super.processEvent({ ...event, customProperties: { ...event.customProperties, ...properties } });
  }
}
