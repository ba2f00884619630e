import fs from 'node:fs';
import path from 'node:path';
import { BOT_SCOPES } from '../src/slack/bot-scopes';

/** The README tells the operator why each bot scope is asked for: the table and the manifest must name the same ones. */

const root = path.join(__dirname, '..');

function manifestScopes(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
  return [...manifest.oauth_config.scopes.bot].sort();
}

function readmeScopes(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.split('### Bot scopes and why each is needed')[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')).sort();
}

test('every bot scope in manifest.json is explained in the README, and the README explains no other', () => {
  expect(readmeScopes()).toEqual(manifestScopes());
  expect(manifestScopes()).toContain('mpim:history');
});

test('the scopes Greenlight checks the bot token for at start are the manifest\'s', () => {
  expect(Object.keys(BOT_SCOPES).sort()).toEqual(manifestScopes());
});
