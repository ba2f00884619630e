import { LogLevel, type Logger } from '@slack/bolt';

export type Fields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { [LogLevel.DEBUG]: 10, [LogLevel.INFO]: 20, [LogLevel.WARN]: 30, [LogLevel.ERROR]: 40 };

/** Anything shaped like a Slack token, wherever it hides in a log line. */
const TOKEN_PATTERN = /xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;

export interface StructuredLogger extends Logger {
  /** A line with fields (momentId, userId, action, …), never a secret. */
  log(level: LogLevel, message: string, fields?: Fields): void;
}

/**
 * JSON lines on stdout/stderr. Implements Bolt's Logger so Bolt logs through it too.
 * Known secrets and anything token-shaped are replaced before a line is written.
 */
export function createLogger(options: { level: LogLevel; secrets?: readonly string[]; write?: (line: string) => void; name?: string }): StructuredLogger {
  let name = options.name ?? 'greenlight';
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const redact = (text: string): string => {
    let out = text.replace(TOKEN_PATTERN, '[redacted]');
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out;
  };
  return loggerOver(
    options.level,
    (at, message, fields) => {
      const line = JSON.stringify({ time: new Date().toISOString(), level: at, name, msg: message, ...fields }, errorReplacer);
      write(redact(line));
    },
    (next) => {
      name = next;
    },
  );
}

/** One log record as handed from the store thread to the process's logger. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Fields | undefined;
}

/**
 * A logger that hands its records to `sink` (the store thread's: its lines are written by the main
 * thread's logger, so they are redacted and ordered in one place). Fields become plain JSON values here,
 * so a record always survives the trip between threads.
 */
export function forwardingLogger(level: LogLevel, sink: (record: LogRecord) => void): StructuredLogger {
  return loggerOver(level, (at, message, fields) => {
    sink({ level: at, message, fields: fields === undefined ? undefined : (JSON.parse(JSON.stringify(fields, errorReplacer) ?? '{}') as Fields) });
  });
}

/** Level filtering and Bolt's Logger methods over one way of emitting a record. */
function loggerOver(initial: LogLevel, emit: (at: LogLevel, message: string, fields?: Fields) => void, setName?: (name: string) => void): StructuredLogger {
  let level = initial;
  const log = (at: LogLevel, message: string, fields?: Fields): void => {
    if (ORDER[at] < ORDER[level]) return;
    emit(at, message, fields);
  };
  const fromArgs = (at: LogLevel) => (...args: unknown[]) => {
    const [first, ...rest] = args;
    const message = typeof first === 'string' ? first : describe(first);
    log(at, message, rest.length > 0 ? { detail: rest.map(describe).join(' ') } : undefined);
  };
  return {
    log,
    debug: fromArgs(LogLevel.DEBUG),
    info: fromArgs(LogLevel.INFO),
    warn: fromArgs(LogLevel.WARN),
    error: fromArgs(LogLevel.ERROR),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => setName?.(next),
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
