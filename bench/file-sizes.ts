import fs from 'node:fs';

export interface FileSizes {
  readonly db: number;
  readonly wal: number;
  readonly total: number;
}

/** Bytes of a SQLite database file and of its WAL (0 when absent). */
export function fileSizes(file: string): FileSizes {
  const size = (f: string): number => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  };
  const db = size(file);
  const wal = size(`${file}-wal`);
  return { db, wal, total: db + wal };
}
