/** The first schema: moments, their reviewers, the append-only decision log, deadlines, outbox, seen requests. */
export const migration001 = `
CREATE TABLE moments (
  id             INTEGER PRIMARY KEY,
  topic          TEXT NOT NULL,
  review_channel TEXT NOT NULL,
  flagger_id     TEXT NOT NULL,
  source_channel TEXT,
  source_ts      TEXT,
  title          TEXT NOT NULL,
  copy           TEXT NOT NULL,
  link           TEXT,
  urgency        TEXT NOT NULL CHECK (urgency IN ('normal', 'high')),
  plan           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('pending', 'changes_requested', 'approved', 'rejected', 'expired', 'withdrawn')),
  state_by       TEXT,
  state_comment  TEXT,
  closed_at      INTEGER,
  tier           INTEGER NOT NULL,
  revision       INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL,
  card_channel   TEXT,
  card_ts        TEXT,
  card_permalink TEXT
) STRICT;
CREATE INDEX moments_open ON moments (created_at) WHERE status IN ('pending', 'changes_requested');
CREATE INDEX moments_flagger ON moments (flagger_id, created_at);
CREATE UNIQUE INDEX moments_source ON moments (source_channel, source_ts) WHERE source_ts IS NOT NULL;

CREATE TABLE assignments (
  moment_id INTEGER NOT NULL REFERENCES moments (id) ON DELETE CASCADE,
  tier      INTEGER NOT NULL,
  role      TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  PRIMARY KEY (moment_id, tier, role, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX assignments_user ON assignments (user_id, moment_id);

CREATE TABLE decisions (
  id        INTEGER PRIMARY KEY,
  moment_id INTEGER NOT NULL REFERENCES moments (id),
  user_id   TEXT,
  role      TEXT,
  action    TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'request_changes', 'escalate', 'withdraw', 'revise', 'timeout')),
  comment   TEXT,
  revision  INTEGER NOT NULL,
  tier      INTEGER NOT NULL,
  at        INTEGER NOT NULL
) STRICT;
CREATE INDEX decisions_moment ON decisions (moment_id, id);
-- The decision log is evidence: the database itself refuses to rewrite it.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

CREATE TABLE deadlines (
  id        INTEGER PRIMARY KEY,
  moment_id INTEGER NOT NULL REFERENCES moments (id) ON DELETE CASCADE,
  kind      TEXT NOT NULL CHECK (kind IN ('remind', 'timeout')),
  tier      INTEGER NOT NULL,
  revision  INTEGER NOT NULL,
  due_at    INTEGER NOT NULL,
  done_at   INTEGER
) STRICT;
-- A sweep reads only what is due: the index holds open deadlines only.
CREATE INDEX deadlines_due ON deadlines (due_at) WHERE done_at IS NULL;
CREATE INDEX deadlines_moment ON deadlines (moment_id) WHERE done_at IS NULL;

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  moment_id        INTEGER REFERENCES moments (id) ON DELETE CASCADE,
  lane             TEXT,
  kind             TEXT NOT NULL,
  payload          TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  first_attempt_at INTEGER,
  uncertain        INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  done_at          INTEGER,
  outcome          TEXT CHECK (outcome IN ('sent', 'failed', 'skipped')),
  result_channel   TEXT,
  result_ts        TEXT
) STRICT;
CREATE INDEX outbox_open ON outbox (next_attempt_at, id) WHERE done_at IS NULL;
-- Delivery keeps order within a moment's lane: a row waits for the earlier open rows of its lane.
CREATE INDEX outbox_lane ON outbox (moment_id, lane, id) WHERE done_at IS NULL;

CREATE TABLE dm_messages (
  moment_id INTEGER NOT NULL REFERENCES moments (id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL,
  channel   TEXT NOT NULL,
  ts        TEXT NOT NULL,
  PRIMARY KEY (moment_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE dm_channels (
  user_id TEXT PRIMARY KEY,
  channel TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE seen (
  key TEXT PRIMARY KEY,
  at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX seen_at ON seen (at);
`;
