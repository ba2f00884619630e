import { databasePathIn, loadDotenv } from './config';
import { backUpDatabase } from './store/back-up';

/**
 * `npm run backup -- <file>`: copies Greenlight's database to <file> while it runs, reading DATABASE_PATH as Greenlight
 * does (the environment, else .env, else ./data/greenlight.db): a shell's `$DATABASE_PATH` is unset where only .env
 * sets it, and `sqlite3 ""` backs up an empty database without a word.
 */
async function main(): Promise<void> {
  const target = process.argv[2];
  if (target === undefined || target === '') {
    process.stderr.write('Usage: npm run backup -- <file>   (e.g. npm run backup -- /backups/greenlight-$(date +%F).db)\n');
    process.exitCode = 2;
    return;
  }
  loadDotenv();
  // Read as Greenlight reads it: an empty DATABASE_PATH= in .env is the default, not a path.
  const databasePath = databasePathIn();
  try {
    const moments = await backUpDatabase(databasePath, target);
    process.stdout.write(`Backed up ${databasePath} to ${target}: ${moments} moments, integrity ok.\n`);
  } catch (error) {
    process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

void main();
