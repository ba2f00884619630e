/**
 * The store thread: owns the database connection, the delivery worker and the deadline scanner, and
 * answers the Slack side's operations (see `store-thread-client.ts`). SQL and its disk writes run here,
 * so the main thread's event loop only parses, verifies and answers Slack's requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LogLevel } from '@slack/bolt';
import { forwardingLogger, type LogRecord } from '../log/logger';
import { invokeOp, isBackendOp } from './backend-ops';
import { startBackEnd, type BackEnd } from './start-back-end';
import { toWire, type CallResult, type FromThread, type ThreadData, type ToThread } from './thread-wire';

function readToThread(raw: unknown): ToThread | undefined {
  if (typeof raw !== 'object' || raw === null || !('type' in raw)) return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'call':
      return typeof message.id === 'number' && isBackendOp(message.op) && Array.isArray(message.args)
        ? { type: 'call', id: message.id, op: message.op, args: message.args as unknown[] }
        : undefined;
    case 'kick':
    case 'begin':
    case 'stop':
      return { type: message.type };
    default:
      return undefined;
  }
}

function run(port: NonNullable<typeof parentPort>, data: ThreadData): void {
  const post = (message: FromThread) => port.postMessage(message);
  // Log records and call results are sent once per turn of this thread's event loop: a group commit
  // answers many calls at once, and they cross in one message.
  let records: LogRecord[] = [];
  let results: CallResult[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (records.length > 0) {
      post({ type: 'logs', records });
      records = [];
    }
    if (results.length > 0) {
      post({ type: 'results', results });
      results = [];
    }
  };
  const soon = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  const logger = forwardingLogger(data.logLevel, (record) => {
    records.push(record);
    soon();
  });

  let backEnd: BackEnd;
  try {
    backEnd = startBackEnd(data.settings, logger, Date.now, (error) => {
      flush();
      post({ type: 'fatal', message: error.message });
    });
  } catch (error) {
    flush();
    post({ type: 'failed', error: toWire(error) });
    port.close();
    return;
  }
  const running = backEnd;
  post({ type: 'ready' });

  port.on('message', (raw: unknown) => {
    const message = readToThread(raw);
    if (!message) {
      logger.log(LogLevel.WARN, 'store thread: unreadable message ignored');
      return;
    }
    switch (message.type) {
      case 'call': {
        const { id } = message;
        invokeOp(running.ops, message.op, message.args).then(
          (value) => {
            results.push({ id, ok: true, value });
            soon();
          },
          (error: unknown) => {
            results.push({ id, ok: false, error: toWire(error) });
            soon();
          },
        );
        return;
      }
      case 'kick':
        running.worker.kick();
        return;
      case 'begin':
        running.begin();
        return;
      case 'stop':
        running.stop().then(
          () => {
            flush();
            post({ type: 'stopped' });
            port.close();
          },
          (error: unknown) => {
            flush();
            post({ type: 'failed', error: toWire(error) });
            port.close();
          },
        );
        return;
    }
  });
}

if (parentPort) run(parentPort, workerData as ThreadData);
