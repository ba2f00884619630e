import { config } from 'dotenv';

export type DotenvResult =
  /** `keys` are the variables the file set; ones already in the environment were left alone and are not listed. */
  | { readonly status: 'loaded'; readonly path: string; readonly keys: readonly string[] }
  /** No file: normal where the environment comes from the platform (containers, CI). */
  | { readonly status: 'absent'; readonly path: string }
  | { readonly status: 'unreadable'; readonly path: string; readonly reason: string };

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
  return { status: 'loaded', path, keys };
}
