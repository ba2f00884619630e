import { checkDotenv, examplePlaceholderProblem, formatRoutingError, loadDotenv, loadRouting, readEnv } from './config';
import { startGreenlight, StartupError } from './greenlight';
import { batchLines, writeAll } from './log/batch-lines';
import { createLogger, toLogLevel } from './log/logger';
import { StoreError } from './store/open-database';

/** Log lines on stdout, one write per event-loop turn; flushed before any message on stderr, so they stay in order. */
const stdout = batchLines(writeAll(1));

/** A repeat of the first stop signal within this long is the same signal passed on twice (see `stop`). */
const SIGNAL_ECHO_MS = 250;

/** Entry: load and check the configuration, start everything, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const dotenv = checkDotenv(loadDotenv());
  const env = readEnv();
  // The routing file is checked even when the environment is not, so every problem shows in one run.
  const routingFile = env.ok ? env.config.routingFile : env.routingFile;
  const routing = loadRouting(routingFile);
  // A copy of the example not yet edited would start, then fail at the first card.
  const placeholders = routing.ok ? examplePlaceholderProblem(routing.routing, routingFile) : undefined;
  if (dotenv.problems.length > 0 || !env.ok || !routing.ok || placeholders !== undefined) {
    const routingProblems = !routing.ok ? routing.errors.map(formatRoutingError) : placeholders === undefined ? [] : [placeholders];
    const problems = [...dotenv.problems, ...(env.ok ? [] : env.errors), ...routingProblems];
    // Without a .env, "SLACK_BOT_TOKEN is missing" most often means Greenlight runs in another folder than the file.
    const header = dotenv.note === undefined || env.ok ? 'Greenlight cannot start:' : `Greenlight cannot start (${dotenv.note}):`;
    fail([header, ...problems.map((p) => `  - ${p}`)]);
    return;
  }
  const { config } = env;
  const logger = createLogger({
    level: toLogLevel(config.logLevel),
    write: stdout.write,
    secrets: [config.slack.botToken, config.slack.signingSecret, config.slack.appToken].filter((s): s is string => s !== undefined),
  });
  let greenlight;
  try {
    greenlight = await startGreenlight({
      config,
      routing: routing.routing,
      logger,
      onFatal: (error) => {
        stdout.flush();
        process.stderr.write(`Greenlight stopped: ${error.message}\n`);
        process.exit(1);
      },
    });
  } catch (error) {
    if (error instanceof StoreError || error instanceof StartupError) {
      fail([`Greenlight cannot start: ${error.message}`]);
      return;
    }
    throw error;
  }
  const running = greenlight;
  let first: { signal: string; at: number } | undefined;
  const stop = (signal: string) => {
    const now = Date.now();
    if (first !== undefined) {
      // `tsx watch` (npm run dev) passes the terminal's Ctrl-C on to a child that already got it: the same signal
      // twice within a moment is one Ctrl-C, not someone who will not wait.
      if (signal === first.signal && now - first.at < SIGNAL_ECHO_MS) return;
      // A second signal means whoever runs Greenlight will not wait: exit now. Nothing acknowledged is lost (it is
      // all committed); outbox claims left behind are taken back by the next start on this host.
      logger.warn(`stopping at once on a second ${signal}: work in progress is abandoned`);
      process.exit(1);
    }
    first = { signal, at: now };
    logger.info(`stopping on ${signal}`);
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function fail(lines: readonly string[]): void {
  stdout.flush();
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exitCode = 1;
}

// A failure no listener caught (e.g. the Socket Mode client giving up reconnecting): say so and exit, so the
// process supervisor restarts Greenlight; nothing acknowledged is lost, it is all in the database.
process.on('unhandledRejection', (reason: unknown) => {
  stdout.flush();
  process.stderr.write(`Greenlight stopped on an unhandled failure: ${reason instanceof Error ? reason.message : String(reason)}\n`);
  process.exit(1);
});

main().catch((error: unknown) => {
  stdout.flush();
  process.stderr.write(`Greenlight stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
