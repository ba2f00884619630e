import type { AppConfig, Synchronous } from '../config';
import { BOT_TOKEN, SIGNING_SECRET } from './slack-requests';

/** Settings for Greenlight running against the local stand-in (demo, tests, benchmarks): HTTP mode on a free port. */
export function sandboxConfig(options: { apiUrl: string; databasePath: string; databaseSynchronous?: Synchronous; routingFile?: string }): AppConfig {
  return {
    slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, appToken: undefined, apiUrl: options.apiUrl },
    port: 0,
    databasePath: options.databasePath,
    databaseSynchronous: options.databaseSynchronous ?? 'NORMAL',
    routingFile: options.routingFile ?? 'inline',
    flagEmoji: 'zap',
    deadlineScan: '*/5 * * * * *',
    logLevel: 'info',
  };
}
