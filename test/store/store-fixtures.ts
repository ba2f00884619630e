import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { MomentView } from '../../src/core/moment';
import { openDatabase } from '../../src/store/open-database';
import { storeOver, type Store } from '../../src/store/store';
import { flagged } from '../core/fixtures';

export interface MemoryStore {
  readonly db: Database.Database;
  readonly store: Store;
}

/** A fresh, fully migrated in-memory database and the store over it. */
export function memoryStore(): MemoryStore {
  const db = openDatabase(':memory:', { synchronous: 'NORMAL' });
  return { db, store: storeOver(db) };
}

/** Inserts a moment (default: a fresh brand moment) with its assignments; returns it as the store reads it back. */
export function storedMoment(store: Store, view: MomentView = flagged()): MomentView {
  const { id: _id, version: _version, ...moment } = view.moment;
  const { id } = store.moments.insert(moment);
  store.reviews.assign(id, view.assignments);
  const stored = store.moments.get(id);
  if (!stored) throw new Error('inserted moment not found');
  return { moment: stored, assignments: store.reviews.assignments(id), decisions: [] };
}

/** A temporary folder removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-store-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
