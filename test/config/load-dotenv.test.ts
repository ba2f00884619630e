import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotenv } from '../../src/config/load-dotenv';

describe('loadDotenv', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'greenlight-dotenv-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  function writeEnv(text: string): string {
    const path = join(dir, '.env');
    writeFileSync(path, text);
    return path;
  }

  it('sets the variables from the file and lists which', () => {
    const path = writeEnv('SLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\n');
    const target: NodeJS.ProcessEnv = {};
    expect(loadDotenv(path, target)).toEqual({ status: 'loaded', path, keys: ['SLACK_BOT_TOKEN', 'PORT'] });
    expect(target).toEqual({ SLACK_BOT_TOKEN: 'xoxb-from-file', PORT: '4000' });
  });

  it('does not override a variable that is already set', () => {
    const path = writeEnv('PORT=4000\nLOG_LEVEL=debug\n');
    const target: NodeJS.ProcessEnv = { PORT: '5000' };
    expect(loadDotenv(path, target)).toEqual({ status: 'loaded', path, keys: ['LOG_LEVEL'] });
    expect(target).toEqual({ PORT: '5000', LOG_LEVEL: 'debug' });
  });

  it.each([
    ['with a byte-order mark (PowerShell 5)', Buffer.from('\uFEFFSLACK_BOT_TOKEN=xoxb-from-file\r\nPORT=4000\r\n', 'utf16le')],
    ['without one', Buffer.from('SLACK_BOT_TOKEN=xoxb-from-file\r\n', 'utf16le')],
  ])('reports a file saved as UTF-16 %s, which reads as no settings at all', (_case, bytes) => {
    const path = join(dir, '.env');
    writeFileSync(path, bytes);
    expect(loadDotenv(path, {})).toEqual({ status: 'utf16', path });
  });

  it('an empty file is loaded with nothing in it, not taken for UTF-16', () => {
    const path = writeEnv('');
    expect(loadDotenv(path, {})).toEqual({ status: 'loaded', path, keys: [] });
  });

  it('reports a missing file as absent, which is normal where the platform sets the environment', () => {
    const path = join(dir, 'nope.env');
    expect(loadDotenv(path, {})).toEqual({ status: 'absent', path });
  });

  it('reports a file it cannot read with the reason', () => {
    expect(loadDotenv(dir, {})).toEqual({ status: 'unreadable', path: dir, reason: 'EISDIR' });
  });

  it('prints nothing, even when DOTENV_CONFIG_* variables ask dotenv to', () => {
    const path = writeEnv('SLACK_BOT_TOKEN=xoxb-must-not-print\n');
    const writes = [
      jest.spyOn(console, 'log').mockImplementation(() => undefined),
      jest.spyOn(console, 'error').mockImplementation(() => undefined),
      jest.spyOn(console, 'info').mockImplementation(() => undefined),
      jest.spyOn(process.stdout, 'write').mockImplementation(() => true),
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true),
    ];
    // dotenv reads these from the real process environment; set them only for this call.
    const saved = { debug: process.env.DOTENV_CONFIG_DEBUG, quiet: process.env.DOTENV_CONFIG_QUIET, override: process.env.DOTENV_CONFIG_OVERRIDE };
    process.env.DOTENV_CONFIG_DEBUG = 'true';
    process.env.DOTENV_CONFIG_QUIET = 'false';
    process.env.DOTENV_CONFIG_OVERRIDE = 'true';
    const target: NodeJS.ProcessEnv = { SLACK_BOT_TOKEN: 'xoxb-already-set' };
    try {
      loadDotenv(path, target);
      loadDotenv(join(dir, 'missing.env'), {});
    } finally {
      restore('DOTENV_CONFIG_DEBUG', saved.debug);
      restore('DOTENV_CONFIG_QUIET', saved.quiet);
      restore('DOTENV_CONFIG_OVERRIDE', saved.override);
    }
    for (const write of writes) expect(write).not.toHaveBeenCalled();
    expect(target.SLACK_BOT_TOKEN).toBe('xoxb-already-set');
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
