import { LogLevel } from '@slack/bolt';
import type { LogRecord } from '../log/logger';
import { StoreError } from '../store/open-database';
import type { BackendOps } from './backend-ops';
import type { BackEndSettings } from './start-back-end';

/** What the store thread is started with (its `workerData`). */
export interface ThreadData {
  readonly settings: BackEndSettings;
  readonly logLevel: LogLevel;
}

/** Messages from the Slack side to the store thread. */
export type ToThread =
  | { readonly type: 'call'; readonly id: number; readonly op: keyof BackendOps; readonly args: unknown[] }
  | { readonly type: 'kick' }
  | { readonly type: 'begin' }
  | { readonly type: 'stop' };

/** Messages from the store thread. */
export type FromThread =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: WireError }
  | { readonly type: 'results'; readonly results: readonly CallResult[] }
  | { readonly type: 'logs'; readonly records: readonly LogRecord[] }
  | { readonly type: 'fatal'; readonly message: string }
  | { readonly type: 'stopped' };

export type CallResult =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

/** An error as it crosses between threads: its name, message and code (a driver error's `SQLITE_BUSY`, a StoreError's). */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
}

export function toWire(error: unknown): WireError {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return { name: error.name, message: error.message, code };
  }
  return { name: 'Error', message: String(error), code: undefined };
}

/** The error again on this side: a StoreError stays one (the entry point prints it as a start problem). */
export function fromWire(wire: WireError): Error {
  if (wire.name === 'StoreError' && isStoreErrorCode(wire.code)) return new StoreError(wire.code, wire.message);
  const error = new Error(wire.message) as Error & { code?: string };
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  return error;
}

function isStoreErrorCode(code: string | undefined): code is StoreError['code'] {
  return code === 'newer_schema' || code === 'unwritable' || code === 'busy' || code === 'corrupt';
}

const LEVELS: readonly string[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isWireError(value: unknown): value is WireError {
  return isRecord(value) && typeof value.name === 'string' && typeof value.message === 'string' && (value.code === undefined || typeof value.code === 'string');
}

function isLogRecord(value: unknown): value is LogRecord {
  return isRecord(value) && typeof value.level === 'string' && LEVELS.includes(value.level) && typeof value.message === 'string' && (value.fields === undefined || isRecord(value.fields));
}

function isCallResult(value: unknown): value is CallResult {
  if (!isRecord(value) || typeof value.id !== 'number') return false;
  return value.ok === true ? 'value' in value : value.ok === false && isWireError(value.error);
}

/** A message from the thread, checked; undefined for anything else. */
export function readFromThread(raw: unknown): FromThread | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'failed':
      return isWireError(raw.error) ? { type: 'failed', error: raw.error } : undefined;
    case 'results':
      return Array.isArray(raw.results) && raw.results.every(isCallResult) ? { type: 'results', results: raw.results } : undefined;
    case 'logs':
      return Array.isArray(raw.records) && raw.records.every(isLogRecord) ? { type: 'logs', records: raw.records } : undefined;
    case 'fatal':
      return typeof raw.message === 'string' ? { type: 'fatal', message: raw.message } : undefined;
    case 'stopped':
      return { type: 'stopped' };
    default:
      return undefined;
  }
}
