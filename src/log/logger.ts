import { LogLevel, type Logger } from '@slack/bolt';

export type Fields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { [LogLevel.DEBUG]: 10, [LogLevel.INFO]: 20, [LogLevel.WARN]: 30, [LogLevel.ERROR]: 40 };

/** Anything shaped like a Slack token, wherever it hides in a log line. */
const TOKEN_PATTERN = /xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;
/**
 * A response_url or trigger_id in a payload the Slack libraries log at debug (a request's body, a Socket Mode message,
 * JSON inside JSON, its quotes escaped): for 30 minutes or 3 seconds they let whoever holds them answer or open a form
 * as Greenlight. Their values go, and so does the path of any response_url written out.
 */
const PAYLOAD_SECRET_PATTERN = /(\\*"(?:response_url|trigger_id)\\*"\s*:\s*\\*")[^"]*?(?=\\*")/g;
// Slack's own JSON writes "/" as "\/" (a Socket Mode message is logged as it came): the path is taken either way.
const RESPONSE_URL_PATTERN = /(https:(?:\\*\/){2}hooks\.slack\.com\\*\/)[^\s"]*?(?=\\*"|\s|$)/g;

export interface StructuredLogger extends Logger {
  /** A line with fields (momentId, userId, action, …), never a secret. */
  log(level: LogLevel, message: string, fields?: Fields): void;
}

/**
 * JSON lines on stdout/stderr. Implements Bolt's Logger so Bolt logs through it too.
 * Known secrets and anything token-shaped are replaced before a line is written.
 */
export function createLogger(options: { level: LogLevel; secrets?: readonly string[]; write?: (line: string) => void; name?: string }): StructuredLogger {
  let level = options.level;
  let name = options.name ?? 'greenlight';
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const redact = (text: string): string => {
    let out = text.replace(TOKEN_PATTERN, '[redacted]').replace(PAYLOAD_SECRET_PATTERN, '$1[redacted]').replace(RESPONSE_URL_PATTERN, '$1[redacted]');
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out;
  };
  const emit = (at: LogLevel, message: string, fields?: Fields): void => {
    if (ORDER[at] < ORDER[level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: at, name, msg: message, ...fields }, errorReplacer);
    write(redact(line));
  };
  const fromArgs = (at: LogLevel) => (...args: unknown[]) => {
    const [first, ...rest] = args;
    const message = typeof first === 'string' ? first : describe(first);
    emit(at, message, rest.length > 0 ? { detail: rest.map(describe).join(' ') } : undefined);
  };
  return {
    log: emit,
    debug: fromArgs(LogLevel.DEBUG),
    info: fromArgs(LogLevel.INFO),
    warn: fromArgs(LogLevel.WARN),
    error: fromArgs(LogLevel.ERROR),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}

export function toLogLevel(value: 'debug' | 'info' | 'warn' | 'error'): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[value];
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, errorReplacer) ?? String(value);
  } catch {
    return String(value);
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
