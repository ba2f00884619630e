import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCron, validate as isCronExpression } from 'node-cron';

/** Where the database is when DATABASE_PATH does not say (read by Greenlight and by `npm run backup`). */
export const DEFAULT_DATABASE_PATH = './data/greenlight.db';

/** The database's path as Greenlight reads it: DATABASE_PATH, trimmed, unless empty; else the default. */
export function databasePathIn(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.DATABASE_PATH?.trim();
  return value === undefined || value === '' ? DEFAULT_DATABASE_PATH : value;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Synchronous = 'FULL' | 'NORMAL';

export interface AppConfig {
  readonly slack: {
    readonly botToken: string;
    /** Required in HTTP mode; unused in Socket Mode. */
    readonly signingSecret: string | undefined;
    /** When set, Socket Mode is used and no public URL is needed. */
    readonly appToken: string | undefined;
    /** Web API base URL ending in '/', e.g. the sandbox's; undefined means Slack's own. */
    readonly apiUrl: string | undefined;
  };
  readonly port: number;
  readonly databasePath: string;
  readonly databaseSynchronous: Synchronous;
  readonly routingFile: string;
  /** Emoji name without colons. */
  readonly flagEmoji: string;
  /** node-cron expression (with seconds) for the deadline scanner. */
  readonly deadlineScan: string;
  readonly logLevel: LogLevel;
}

export type EnvResult =
  | { readonly ok: true; readonly config: AppConfig }
  /** `routingFile` is known even then, so the routing file's problems can be reported in the same run. */
  | { readonly ok: false; readonly errors: readonly string[]; readonly routingFile: string };

/** Every variable Greenlight reads, in DESIGN §3's order (plus DATABASE_SYNCHRONOUS). */
export const ENV_NAMES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'PORT',
  'DATABASE_PATH',
  'DATABASE_SYNCHRONOUS',
  'ROUTING_FILE',
  'FLAG_EMOJI',
  'DEADLINE_SCAN',
  'LOG_LEVEL',
] as const;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const EMOJI_NAME = /^[a-z0-9_+\-']+$/;

/**
 * The app's settings from the environment, every problem collected (one line each) rather than the first thrown.
 * Secret values never appear in a message: only what they should look like.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvResult {
  const errors: string[] = [];
  // Empty counts as unset: `FOO=` in a .env file or compose file usually means "not configured yet".
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  // Read in the order of DESIGN §3's table, so the messages come in that order too.
  const config: AppConfig = {
    slack: {
      botToken: readBotToken(get('SLACK_BOT_TOKEN'), errors),
      signingSecret: readSigningSecret(get('SLACK_SIGNING_SECRET'), get('SLACK_APP_TOKEN') !== undefined, errors),
      appToken: readAppToken(get('SLACK_APP_TOKEN'), errors),
      apiUrl: readApiUrl(get('SLACK_API_URL'), errors),
    },
    port: readPort(get('PORT'), errors),
    databasePath: literalPath('DATABASE_PATH', databasePathIn(env), errors),
    databaseSynchronous: readSynchronous(get('DATABASE_SYNCHRONOUS'), errors),
    routingFile: literalPath('ROUTING_FILE', get('ROUTING_FILE') ?? './routing.yml', errors),
    flagEmoji: readFlagEmoji(get('FLAG_EMOJI'), errors),
    deadlineScan: readDeadlineScan(get('DEADLINE_SCAN'), errors),
    logLevel: readLogLevel(get('LOG_LEVEL'), errors),
  };
  return errors.length > 0 ? { ok: false, errors, routingFile: config.routingFile } : { ok: true, config };
}

/**
 * A path as written: neither dotenv nor Greenlight expands `~` or `$VARS`, and `~/gl/greenlight.db` would make a folder
 * named `~` where Greenlight happens to start (a new, empty database under systemd or a container's other folder).
 */
function literalPath(name: string, value: string, errors: string[]): string {
  if (!value.startsWith('~') && !value.includes('$')) return value;
  // An earlier Greenlight took it as written: its database (or file) is there, and would be left behind.
  const taken = path.resolve(value);
  const what = name === 'DATABASE_PATH' ? ' (with its -wal file)' : '';
  const there = fs.existsSync(taken) ? `; the one used until now is at ${taken}: move it there${what}` : '';
  errors.push(`${name} is "${value}": ~ and $VARS are not expanded in .env; write the path itself (absolute, or relative to the folder Greenlight starts in)${there}`);
  return value;
}

/** The bot token as .env.example writes it. */
export const EXAMPLE_BOT_TOKEN = 'xoxb-your-bot-token';

function readBotToken(value: string | undefined, errors: string[]): string {
  if (value === undefined) {
    errors.push('SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions');
  } else if (value === EXAMPLE_BOT_TOKEN) {
    // Well-formed, so only Slack's invalid_auth would have said so, later and less plainly.
    errors.push(`SLACK_BOT_TOKEN is still .env.example's placeholder (${EXAMPLE_BOT_TOKEN}): put in the Bot User OAuth Token from OAuth & Permissions`);
  } else if (!/^xoxb-\S+$/.test(value)) {
    errors.push(
      'SLACK_BOT_TOKEN is malformed: it should start with xoxb- (the Bot User OAuth Token from OAuth & Permissions)' +
        hint('SLACK_BOT_TOKEN', value),
    );
  }
  return value ?? '';
}

function readAppToken(value: string | undefined, errors: string[]): string | undefined {
  if (value !== undefined && !/^xapp-\S+$/.test(value)) {
    errors.push(
      'SLACK_APP_TOKEN is malformed: it should start with xapp- (an App-Level Token with connections:write, from Basic Information → ' +
        `App-Level Tokens), or be left unset to use HTTP mode${hint('SLACK_APP_TOKEN', value)}`,
    );
  }
  return value;
}

function readSigningSecret(value: string | undefined, socketMode: boolean, errors: string[]): string | undefined {
  if (value === undefined) {
    if (!socketMode) {
      errors.push(
        'SLACK_SIGNING_SECRET is missing: copy it from Basic Information → App Credentials (or set SLACK_APP_TOKEN to use Socket Mode)',
      );
    }
  } else if (!/^[0-9a-f]+$/i.test(value)) {
    errors.push(
      'SLACK_SIGNING_SECRET is malformed: it should be the hex string (0-9, a-f) shown as Signing Secret under ' +
        `Basic Information → App Credentials${hint('SLACK_SIGNING_SECRET', value)}`,
    );
  }
  return value;
}

const PREFIXES = [
  { prefix: 'xoxb-', variable: 'SLACK_BOT_TOKEN', kind: 'a bot token (xoxb-), which belongs in SLACK_BOT_TOKEN' },
  { prefix: 'xapp-', variable: 'SLACK_APP_TOKEN', kind: 'an app-level token (xapp-), which belongs in SLACK_APP_TOKEN' },
  { prefix: 'xoxp-', variable: undefined, kind: 'a user token (xoxp-), which Greenlight does not use' },
] as const;

/** Says what is wrong with a credential by its shape and public prefix, never by its value. */
function hint(variable: string, value: string): string {
  if (/^["']/.test(value)) return '; remove the quotes around it';
  if (/\s/.test(value)) return '; it contains spaces or line breaks';
  const known = PREFIXES.find((p) => value.startsWith(p.prefix) && p.variable !== variable);
  return known ? `; this looks like ${known.kind}` : '';
}

function readApiUrl(value: string | undefined, errors: string[]): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    errors.push(`SLACK_API_URL must be an http(s) URL without ?query or #fragment, such as http://127.0.0.1:4000/api/, got "${value}"`);
    return undefined;
  }
  // Method names are appended to it ("…/api/" + "chat.postMessage"), so it must end with a slash.
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function readPort(value: string | undefined, errors: string[]): number {
  if (value === undefined) return 3000;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) errors.push(`PORT must be a whole number from 0 to 65535, got "${value}"`);
  return port;
}

function readSynchronous(value: string | undefined, errors: string[]): Synchronous {
  // FULL by default: a recorded decision must survive a power loss; NORMAL trades that for faster commits.
  const upper = (value ?? 'FULL').toUpperCase();
  if (upper === 'FULL' || upper === 'NORMAL') return upper;
  errors.push(
    'DATABASE_SYNCHRONOUS must be FULL (the default: every decision survives a power loss) ' +
      `or NORMAL (faster; the last commits may be lost), got "${value ?? ''}"`,
  );
  return 'FULL';
}

function readFlagEmoji(value: string | undefined, errors: string[]): string {
  // People copy emoji from Slack as ":zap:"; reaction events name it without colons.
  const name = (value ?? 'zap').replace(/^:/, '').replace(/:$/, '');
  if (!EMOJI_NAME.test(name)) {
    errors.push(`FLAG_EMOJI must be an emoji name such as zap or :zap: (lower-case letters, digits, _ + - '), got "${value ?? ''}"`);
  }
  return name;
}

function readDeadlineScan(value: string | undefined, errors: string[]): string {
  const expression = value ?? '*/5 * * * * *';
  // node-cron also runs the usual five-field form, as minutes: "*/5 * * * *", the default with its seconds left
  // out, would check deadlines every five minutes and send reminders and escalations minutes late, silently.
  if (expression.split(/\s+/).length === 5) {
    errors.push(
      `DEADLINE_SCAN "${expression}" has no seconds field, so deadlines would be checked at most once a minute: ` +
        'put the seconds first, such as "*/5 * * * * *" (every 5 seconds)',
    );
    return expression;
  }
  let valid: boolean;
  try {
    valid = isCronExpression(expression);
  } catch {
    valid = false;
  }
  if (!valid) {
    errors.push(
      `DEADLINE_SCAN must be a node-cron expression, seconds first, such as "*/5 * * * * *" (every 5 seconds), got "${expression}"`,
    );
  } else if (!runsEveryMinute(expression)) {
    // One second a minute ("0 * * * * *", "*/60 …"), some minutes or hours only, a nickname (@hourly): as late as the
    // five-field form, or later.
    errors.push(
      `DEADLINE_SCAN "${expression}" checks deadlines at most once a minute, so reminders and escalations would go out minutes late: ` +
        'let the seconds field repeat, such as "*/5 * * * * *" (every 5 seconds)',
    );
  }
  return expression;
}

/** Whether `expression` (valid) runs more than once in every minute of every hour of every day. */
function runsEveryMinute(expression: string): boolean {
  const fields = parseCron(expression);
  return (
    fields.second.length > 1 &&
    fields.minute.length === 60 &&
    fields.hour.length === 24 &&
    fields.dayOfMonth.length === 31 &&
    fields.month.length === 12 &&
    fields.dayOfWeek.length === 7
  );
}

function readLogLevel(value: string | undefined, errors: string[]): LogLevel {
  const wanted = (value ?? 'info').toLowerCase();
  const level = LOG_LEVELS.find((l) => l === wanted);
  if (level === undefined) errors.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value ?? ''}"`);
  return level ?? 'info';
}
