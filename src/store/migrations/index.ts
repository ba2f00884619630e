import { migration001 } from './001-initial';

/** Numbered migrations, applied in order; migrations[i] takes the schema from version i to i + 1. */
export const migrations: readonly string[] = [migration001];
