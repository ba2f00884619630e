import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { migrations } from '../../src/store/migrations';

/**
 * The text of every migration that has shipped. A database already past a migration never runs it again, so an edit
 * to one reaches new databases only and the two kinds drift apart (004 once gained two indexes this way; 017 repairs
 * it). A change to the schema is a new migration, never an edit: add its fingerprint here when it ships.
 */
const SHIPPED = [
  '061aa60c2fb67852', '75cd6ee0bc90a661', '679112afca542c75', '9e1e725aa171825b', '39e1ec4dd09e187f',
  '948d77744635ade0', '4cc16ad0962d6fe7', '3ce859d86afc68f0', '9818cbc20e087a90', '97d69c59e16d37c1',
  'f9af497cdf12ebf2', '52a0b37850ac7fec', '343787741e551489', '2eeb8c9d2caccbf7', 'd71d1d67000bf95e',
  'c1ec6abd4e2e5caf', '4466ff250806346a', '9f35b3fe38d37c67', 'a83c676a91f726e0', '0f4555d99f7d92b2',
  'c6b9344e9fcb57a1', '863eafa4890b1fbb', 'e02fff267186e937', '42ec4620c4cc3cb6', '05e0aa37a924d7f1',
  'd2a89279d57813f3', 'a03db8dc1130c61e', '92751611fd233b2e', 'e7130a24a4dd0336', '38d397a479940867', 'dcec13c8bd10549d', '27ed888d91e37628', 'd719a225cfeb4ffb', 'd3fa156c33676479', '60c533bc96ac48c4', 'eaf4d25a5c030b5b',
];

function fingerprint(sql: string): string {
  return createHash('sha256').update(sql).digest('hex').slice(0, 16);
}

test('no shipped migration has been edited (a schema change is a new migration)', () => {
  // given the migrations this Greenlight applies; then each shipped one reads exactly as it shipped
  const shipped = migrations.slice(0, SHIPPED.length).map((sql, index) => ({ migration: index + 1, fingerprint: fingerprint(sql) }));
  expect(shipped).toEqual(SHIPPED.map((print, index) => ({ migration: index + 1, fingerprint: print })));
  // and every migration is accounted for, so the next one is pinned when it ships
  expect(migrations).toHaveLength(SHIPPED.length);
});

test('migration 034 moves the confirmations and flagged-message replies an earlier version queued to their own lanes, and only those not sent', () => {
  // given a database at version 33 holding open and sent rows of an earlier version, all in the card's lane
  const db = new Database(':memory:');
  for (const sql of migrations.slice(0, 33)) db.exec(sql);
  const insert = db.prepare("INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at, done_at) VALUES (NULL, 'card', ?, '{}', 0, 0, ?)");
  insert.run('confirm_flag', null);
  insert.run('source_reply', null);
  insert.run('update_card', null);
  insert.run('source_reply', 5);
  // when migration 034 runs
  db.exec(migrations[33] ?? '');
  // then the open confirmation and reply have their own lanes; the card's update and the sent reply keep theirs
  expect(db.prepare('SELECT kind, lane FROM outbox ORDER BY id').all()).toEqual([
    { kind: 'confirm_flag', lane: 'confirm' },
    { kind: 'source_reply', lane: 'source' },
    { kind: 'update_card', lane: 'card' },
    { kind: 'source_reply', lane: 'card' },
  ]);
  db.close();
});
