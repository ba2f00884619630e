import fs, { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databasePathIn, EXAMPLE_BOT_TOKEN, readEnv, type AppConfig, type EnvResult } from '../../src/config/read-env';

// Distinctive values, so a test can prove they never leak into an error message.
const BOT_TOKEN = 'xoxb-1111-2222-SECRETBOT';
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const APP_TOKEN = 'xapp-1-A111-333-SECRETAPP';

const HTTP_ENV = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };

function configOf(result: EnvResult): AppConfig {
  if (!result.ok) throw new Error(`expected a config, got errors:\n${result.errors.join('\n')}`);
  return result.config;
}

function errorsOf(result: EnvResult): readonly string[] {
  if (result.ok) throw new Error('expected errors, got a config');
  return result.errors;
}

describe('readEnv', () => {
  describe('with a good environment', () => {
    it('fills every default when only the HTTP-mode credentials are set', () => {
      expect(configOf(readEnv(HTTP_ENV))).toEqual({
        slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, appToken: undefined, apiUrl: undefined },
        port: 3000,
        databasePath: './data/greenlight.db',
        databaseSynchronous: 'FULL',
        routingFile: './routing.yml',
        flagEmoji: 'zap',
        deadlineScan: '*/5 * * * * *',
        logLevel: 'info',
      });
    });

    it('runs in Socket Mode without a signing secret when an app token is set', () => {
      const config = configOf(readEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN }));
      expect(config.slack.appToken).toBe(APP_TOKEN);
      expect(config.slack.signingSecret).toBeUndefined();
    });

    it('reads every variable that is set', () => {
      const config = configOf(
        readEnv({
          ...HTTP_ENV,
          SLACK_API_URL: 'http://127.0.0.1:4000/api/',
          PORT: '0',
          DATABASE_PATH: ':memory:',
          DATABASE_SYNCHRONOUS: 'normal',
          ROUTING_FILE: '/etc/greenlight/routing.json',
          FLAG_EMOJI: 'eyes',
          DEADLINE_SCAN: '*/10 * * * * *',
          LOG_LEVEL: 'DEBUG',
        }),
      );
      expect(config).toMatchObject({
        slack: { apiUrl: 'http://127.0.0.1:4000/api/' },
        port: 0,
        databasePath: ':memory:',
        databaseSynchronous: 'NORMAL',
        routingFile: '/etc/greenlight/routing.json',
        flagEmoji: 'eyes',
        deadlineScan: '*/10 * * * * *',
        logLevel: 'debug',
      });
    });

    it('adds the trailing slash the Web API client needs to SLACK_API_URL', () => {
      expect(configOf(readEnv({ ...HTTP_ENV, SLACK_API_URL: 'https://sandbox.example.com/api' })).slack.apiUrl).toBe(
        'https://sandbox.example.com/api/',
      );
    });

    it('accepts the flag emoji written with colons, as Slack shows it', () => {
      expect(configOf(readEnv({ ...HTTP_ENV, FLAG_EMOJI: ':white_check_mark:' })).flagEmoji).toBe('white_check_mark');
    });

    it('treats empty and blank variables as unset', () => {
      const config = configOf(readEnv({ ...HTTP_ENV, SLACK_APP_TOKEN: '', PORT: '', LOG_LEVEL: '  ', SLACK_API_URL: '' }));
      expect(config.slack.appToken).toBeUndefined();
      expect(config.slack.apiUrl).toBeUndefined();
      expect(config.port).toBe(3000);
      expect(config.logLevel).toBe('info');
    });

    it('ignores whitespace pasted around a token', () => {
      expect(configOf(readEnv({ ...HTTP_ENV, SLACK_BOT_TOKEN: ` ${BOT_TOKEN}\n` })).slack.botToken).toBe(BOT_TOKEN);
    });
  });

  describe('with missing credentials', () => {
    it('says where to find the bot token and the signing secret', () => {
      expect(errorsOf(readEnv({}))).toEqual([
        'SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
        'SLACK_SIGNING_SECRET is missing: copy it from Basic Information → App Credentials (or set SLACK_APP_TOKEN to use Socket Mode)',
      ]);
    });

    it('counts an empty token as missing', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_BOT_TOKEN: '' }))).toEqual([
        'SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
      ]);
    });
  });

  describe('with malformed credentials', () => {
    it("recognises .env.example's placeholder left in place of the bot token", () => {
      const example = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
      expect(example).toContain(`SLACK_BOT_TOKEN=${EXAMPLE_BOT_TOKEN}\n`);
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_BOT_TOKEN: EXAMPLE_BOT_TOKEN }))).toEqual([
        "SLACK_BOT_TOKEN is still .env.example's placeholder (xoxb-your-bot-token): put in the Bot User OAuth Token from OAuth & Permissions",
      ]);
    });

    it('says what a bot token should start with', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_BOT_TOKEN: 'not-a-token-LEAKBOT' }))).toEqual([
        'SLACK_BOT_TOKEN is malformed: it should start with xoxb- (the Bot User OAuth Token from OAuth & Permissions)',
      ]);
    });

    it('recognises an app-level token put where the bot token belongs', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_BOT_TOKEN: APP_TOKEN }))).toEqual([
        'SLACK_BOT_TOKEN is malformed: it should start with xoxb- (the Bot User OAuth Token from OAuth & Permissions); ' +
          'this looks like an app-level token (xapp-), which belongs in SLACK_APP_TOKEN',
      ]);
    });

    it('asks for the quotes to be removed from a quoted token', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_BOT_TOKEN: `"${BOT_TOKEN}"` }))).toEqual([
        'SLACK_BOT_TOKEN is malformed: it should start with xoxb- (the Bot User OAuth Token from OAuth & Permissions); remove the quotes around it',
      ]);
    });

    it('says what an app token should start with, and how to do without one', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_APP_TOKEN: BOT_TOKEN }))).toEqual([
        'SLACK_APP_TOKEN is malformed: it should start with xapp- (an App-Level Token with connections:write, from Basic Information → ' +
          'App-Level Tokens), or be left unset to use HTTP mode; this looks like a bot token (xoxb-), which belongs in SLACK_BOT_TOKEN',
      ]);
    });

    it('says a signing secret is a hex string', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_SIGNING_SECRET: 'not hex LEAKSIGN' }))).toEqual([
        'SLACK_SIGNING_SECRET is malformed: it should be the hex string (0-9, a-f) shown as Signing Secret under Basic Information → ' +
          'App Credentials; it contains spaces or line breaks',
      ]);
    });

    it('never repeats a token or secret value in its messages', () => {
      const errors = errorsOf(
        readEnv({ SLACK_BOT_TOKEN: 'xoxp-9-LEAKBOT', SLACK_SIGNING_SECRET: 'xoxb-LEAKSIGN', SLACK_APP_TOKEN: 'LEAKAPP' }),
      );
      expect(errors).toHaveLength(3);
      expect(errors.join('\n')).not.toMatch(/LEAK/);
    });
  });

  describe('with bad settings', () => {
    it.each(['abc', '70000', '-1', '3.5', '0x50'])('refuses PORT=%s', (port) => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, PORT: port }))).toEqual([`PORT must be a whole number from 0 to 65535, got "${port}"`]);
    });

    it('refuses a synchronous mode other than FULL or NORMAL, saying what each costs', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, DATABASE_SYNCHRONOUS: 'off' }))).toEqual([
        'DATABASE_SYNCHRONOUS must be FULL (the default: every decision survives a power loss) or NORMAL (faster; the last commits may be lost), got "off"',
      ]);
    });

    it('refuses a flag emoji that is not an emoji name', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, FLAG_EMOJI: '⚡' }))).toEqual([
        `FLAG_EMOJI must be an emoji name such as zap or :zap: (lower-case letters, digits, _ + - '), got "⚡"`,
      ]);
    });

    it('refuses a deadline scan that node-cron cannot run', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, DEADLINE_SCAN: 'every 5s' }))).toEqual([
        'DEADLINE_SCAN must be a node-cron expression, seconds first, such as "*/5 * * * * *" (every 5 seconds), got "every 5s"',
      ]);
    });

    it('refuses a five-field cron expression, which node-cron would run in minutes, not seconds', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, DEADLINE_SCAN: '*/5 * * * *' }))).toEqual([
        'DEADLINE_SCAN "*/5 * * * *" has no seconds field, so deadlines would be checked at most once a minute: ' +
          'put the seconds first, such as "*/5 * * * * *" (every 5 seconds)',
      ]);
    });

    it.each(['0 * * * * *', '0 */5 * * * *', '@hourly', '*/60 * * * * *', '5-5 * * * * *', '*/5 0 * * * *', '*/5 * 9-17 * * *', '*/5 * * * * 1-5'])('refuses %j, which checks deadlines a minute or more apart', (expression) => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, DEADLINE_SCAN: expression }))).toEqual([
        `DEADLINE_SCAN "${expression}" checks deadlines at most once a minute, so reminders and escalations would go out minutes late: ` +
          'let the seconds field repeat, such as "*/5 * * * * *" (every 5 seconds)',
      ]);
    });

    it.each(['*/5 * * * * *', '0-59/10 * * * * *', '0,30 * * * * *', '* * * * * *'])('accepts %j, which checks more than once a minute', (expression) => {
      expect(readEnv({ ...HTTP_ENV, DEADLINE_SCAN: expression }).ok).toBe(true);
    });

    it('refuses an unknown log level', () => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, LOG_LEVEL: 'verbose' }))).toEqual([
        'LOG_LEVEL must be one of debug, info, warn, error, got "verbose"',
      ]);
    });

    it.each(['localhost:4000/api', 'ftp://example.com/api/', 'http://127.0.0.1:4000/api/?x=1'])('refuses SLACK_API_URL=%s', (url) => {
      expect(errorsOf(readEnv({ ...HTTP_ENV, SLACK_API_URL: url }))).toEqual([
        `SLACK_API_URL must be an http(s) URL without ?query or #fragment, such as http://127.0.0.1:4000/api/, got "${url}"`,
      ]);
    });

    it('reports every problem at once, one line each', () => {
      const errors = errorsOf(readEnv({ PORT: 'x', LOG_LEVEL: 'loud', FLAG_EMOJI: 'no spaces', DEADLINE_SCAN: '* *' }));
      expect(errors.map((e) => e.split(' ')[0])).toEqual([
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'PORT',
        'FLAG_EMOJI',
        'DEADLINE_SCAN',
        'LOG_LEVEL',
      ]);
      expect(errors.every((e) => !e.includes('\n'))).toBe(true);
    });
  });
});

test('npm run backup finds the database where Greenlight does: an empty or blank DATABASE_PATH is the default, a set one is trimmed', () => {
  expect(databasePathIn({})).toBe('./data/greenlight.db');
  expect(databasePathIn({ DATABASE_PATH: '' })).toBe('./data/greenlight.db');
  expect(databasePathIn({ DATABASE_PATH: '  ' })).toBe('./data/greenlight.db');
  expect(databasePathIn({ DATABASE_PATH: ' /srv/greenlight.db ' })).toBe('/srv/greenlight.db');
  // and Greenlight itself reads the same
  expect(configOf(readEnv({ ...HTTP_ENV, DATABASE_PATH: ' ' })).databasePath).toBe('./data/greenlight.db');
});

test('a DATABASE_PATH or ROUTING_FILE written with ~ or a $VAR (which nothing expands) stops the start, saying to write the path itself', () => {
  const errors = errorsOf(readEnv({ ...HTTP_ENV, DATABASE_PATH: '~/gl/greenlight.db', ROUTING_FILE: '$HOME/routing.yml' }));
  expect(errors).toEqual([
    'DATABASE_PATH is "~/gl/greenlight.db": ~ and $VARS are not expanded in .env; write the path itself (absolute, or relative to the folder Greenlight starts in)',
    'ROUTING_FILE is "$HOME/routing.yml": ~ and $VARS are not expanded in .env; write the path itself (absolute, or relative to the folder Greenlight starts in)',
  ]);
  // while a path with a tilde inside a name is a path
  expect(configOf(readEnv({ ...HTTP_ENV, DATABASE_PATH: './data/old~1.db' })).databasePath).toBe('./data/old~1.db');
});

test('a ~ path an earlier Greenlight used (its database in a folder named ~) is named in the refusal, so its moments are not left behind', () => {
  // given the folder Greenlight starts in holding ./~/gl/greenlight.db, made by a version that took the path as written
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-tilde-'));
  const before = process.cwd();
  fs.mkdirSync(path.join(dir, '~', 'gl'), { recursive: true });
  fs.writeFileSync(path.join(dir, '~', 'gl', 'greenlight.db'), '');
  process.chdir(dir);
  try {
    // then the refusal says where that database is, and to move it
    const [error] = errorsOf(readEnv({ ...HTTP_ENV, DATABASE_PATH: '~/gl/greenlight.db' }));
    expect(error).toContain(`the one used until now is at ${path.join(fs.realpathSync(dir), '~', 'gl', 'greenlight.db')}: move it there (with its -wal file)`);
    // and a routing file is not called a database
    fs.writeFileSync(path.join(dir, '~', 'routing.yml'), '');
    const [routing] = errorsOf(readEnv({ ...HTTP_ENV, ROUTING_FILE: '~/routing.yml' }));
    expect(routing).toMatch(/routing\.yml: move it there$/);
  } finally {
    process.chdir(before);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
