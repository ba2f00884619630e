import { LogLevel, type SocketModeReceiver } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';

/** The first wait before connecting again after a failed reconnect; each next one waits twice as long, up to the most. */
export const RECONNECT_FIRST_WAIT_MS = 1000;
export const RECONNECT_LONGEST_WAIT_MS = 60_000;

type SocketClient = SocketModeReceiver['client'];

/**
 * Keeps Socket Mode connected through a Slack outage. Once connected, the socket client opens a new connection by
 * itself whenever Slack closes the socket (every few hours, or when a Slack server restarts), but when that reconnect's
 * apps.connections.open answers an HTTP error or cannot reach Slack, after its own retries (about 50 s), it gives up
 * for good, with a promise nobody awaits: Greenlight stopped on an "unhandled failure" a minute into an incident. Here
 * the reconnect is tried again, waiting twice as long each time up to a minute, for as long as it fails. A refusal of
 * the app token (`refusal` gives the error to stop on) is no outage, and no retry fixes it: `onFatal` hears it, to stop.
 *
 * Called once the first connection is made (a failure to start is the start's to report). Returns the stop, which
 * cancels a reconnect waiting.
 */
export function keepSocketConnected(
  client: SocketClient,
  logger: StructuredLogger,
  refusal: (error: unknown) => Error | undefined,
  onFatal: (error: Error) => void,
): () => void {
  const start = client.start.bind(client);
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  // The client reconnects through `this.start`: this one.
  client.start = async () => {
    try {
      const connected = await start();
      if (failures > 0) logger.log(LogLevel.INFO, 'Socket Mode connected again', { failedAttempts: failures });
      failures = 0;
      return connected;
    } catch (error) {
      // Stopped meanwhile, or refused: nothing will connect. The client does not await its reconnect, so a rejection
      // here would only be an unhandled one.
      if (stopped) return new Promise(() => undefined);
      const refused = refusal(error);
      if (refused !== undefined) {
        logger.log(LogLevel.ERROR, 'Socket Mode connection refused by Slack', { error: refused.message });
        onFatal(refused);
        return new Promise(() => undefined);
      }
      failures += 1;
      const waitMs = Math.min(RECONNECT_LONGEST_WAIT_MS, RECONNECT_FIRST_WAIT_MS * 2 ** (failures - 1));
      logger.log(LogLevel.WARN, 'Socket Mode connection lost and Slack not answering: connecting again', { error: String(error), waitMs, failedAttempts: failures });
      // Settles with the attempt that connects (or is refused); never, once Greenlight stops meanwhile.
      return new Promise((resolve, reject) => {
        timer = setTimeout(() => {
          timer = undefined;
          client.start().then(resolve, reject);
        }, waitMs);
      });
    }
  };
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
