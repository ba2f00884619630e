import { LogLevel } from '@slack/bolt';
import { startGreenlight, StartupError } from '../src/greenlight';
import { createLogger } from '../src/log/logger';
import { parseTestRouting, testConfig } from './helpers/harness';

test('a Slack that does not answer stops the start with a network message, not a blame on the token', async () => {
  // Port 9 on loopback: nothing listens, the connection is refused at once.
  const apiUrl = 'http://127.0.0.1:9/api/';
  const started = startGreenlight({
    config: testConfig({ apiUrl, databasePath: ':memory:' }),
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
    host: '127.0.0.1',
    startScanner: false,
  });
  await expect(started).rejects.toBeInstanceOf(StartupError);
  await expect(started).rejects.toThrow(`Greenlight cannot reach Slack at ${apiUrl}`);
  await expect(started).rejects.not.toThrow(/refused SLACK_BOT_TOKEN/);
});
