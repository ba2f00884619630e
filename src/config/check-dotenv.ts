import path from 'node:path';
import type { DotenvResult } from './load-dotenv';
import { editDistance } from '../core/words';
import { ENV_NAMES } from './read-env';

/** What loading `.env` means for the start: problems that stop it, and a note for the first line of any refusal. */
export interface DotenvCheck {
  readonly problems: readonly string[];
  /** Set when there was no .env: worth saying when a variable then turns out to be missing. */
  readonly note: string | undefined;
}

/**
 * A .env that cannot be read, or that sets a misspelt Greenlight variable (`ROUTNG_FILE`, `log_level`), is a
 * problem: otherwise the setting is silently left at its default (a database or routing file other than the one
 * meant). Other names are left alone, since a .env may hold variables for other programs (NODE_OPTIONS, TZ).
 * `cwd` resolves a relative path, so the message says where Greenlight looked.
 */
export function checkDotenv(result: DotenvResult, cwd: string = process.cwd()): DotenvCheck {
  const where = path.resolve(cwd, result.path);
  switch (result.status) {
    case 'absent':
      return { problems: [], note: `there is no ${where}, so only the environment was read` };
    case 'unreadable':
      return {
        problems: [`${where} cannot be read (${result.reason}): it must be a file the user running Greenlight can read`],
        note: undefined,
      };
    case 'utf16':
      return {
        problems: [`${where} is saved as UTF-16, which reads as no settings at all: save it as UTF-8 (in PowerShell, \`Set-Content -Encoding utf8\`)`],
        note: undefined,
      };
    case 'loaded':
      return { problems: result.keys.flatMap((key) => misspelt(key, where)), note: undefined };
  }
}

function misspelt(key: string, where: string): string[] {
  if ((ENV_NAMES as readonly string[]).includes(key)) return [];
  const upper = key.toUpperCase();
  // Short names allow one slip only: HOST is not a misspelt PORT.
  const meant = ENV_NAMES.find((name) => editDistance(upper, name) <= (name.length < 8 ? 1 : 2));
  return meant === undefined ? [] : [`${key} in ${where} is not a Greenlight setting: did you mean ${meant}?`];
}
