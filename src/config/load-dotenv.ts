import fs from 'node:fs';
import { config } from 'dotenv';

export type DotenvResult =
  /** `keys` are the variables the file set; ones already in the environment were left alone and are not listed. */
  | { readonly status: 'loaded'; readonly path: string; readonly keys: readonly string[] }
  /** No file: normal where the environment comes from the platform (containers, CI). */
  | { readonly status: 'absent'; readonly path: string }
  | { readonly status: 'unreadable'; readonly path: string; readonly reason: string }
  /** Saved as UTF-16, which reads as no settings at all. */
  | { readonly status: 'utf16'; readonly path: string };

/**
 * Loads a .env file (default `./.env`) into `target` without overriding what is already set and without printing:
 * the caller decides what to log, and values (tokens) never reach the output.
 */
export function loadDotenv(path = '.env', target: NodeJS.ProcessEnv = process.env): DotenvResult {
  const before = new Set(Object.keys(target));
  // quiet, debug and override are explicit so DOTENV_CONFIG_* variables cannot turn on logging or overriding.
  const result = config({ path, processEnv: target, quiet: true, debug: false, override: false });
  const error = result.error;
  if (error) {
    if (error.code === 'ENOENT') return { status: 'absent', path };
    return { status: 'unreadable', path, reason: error.code ?? error.message };
  }
  const keys = Object.keys(result.parsed ?? {}).filter((key) => !before.has(key));
  // Saved as UTF-16 (Windows PowerShell 5's `echo … > .env`, Notepad's "Unicode"), the file reads as nothing at all:
  // the start would then say SLACK_BOT_TOKEN is missing, next to a file that visibly holds it.
  if (Object.keys(result.parsed ?? {}).length === 0 && savedAsUtf16(path)) {
    return { status: 'utf16', path };
  }
  return { status: 'loaded', path, keys };
}

function savedAsUtf16(path: string): boolean {
  try {
    const head = fs.readFileSync(path).subarray(0, 64);
    // A UTF-16 byte-order mark, or the NUL bytes UTF-16 puts beside every ASCII letter.
    return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || head.includes(0);
  } catch {
    return false;
  }
}
