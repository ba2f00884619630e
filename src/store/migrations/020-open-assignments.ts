/**
 * What waits on a person, and what they flagged that is still open (App Home, `/moment list`), is read through open
 * moments alone, not through the person's whole history: that took 47 ms at 100,000 moments for every Home published,
 * and `/moment list` 107 ms. Whether an assignment's moment is open is kept by the database itself: a moment closes
 * once (a final status never changes again), so the trigger fires once a moment.
 */
export const migration020 = `
ALTER TABLE assignments ADD COLUMN open INTEGER NOT NULL DEFAULT 1;

UPDATE assignments SET open = 0
WHERE moment_id IN (SELECT id FROM moments WHERE status NOT IN ('pending', 'changes_requested'));

CREATE INDEX assignments_open_by_user ON assignments (user_id, moment_id) WHERE open = 1;
DROP INDEX assignments_user;

CREATE INDEX moments_open_by_flagger ON moments (flagger_id, created_at) WHERE status IN ('pending', 'changes_requested');

CREATE TRIGGER assignments_close AFTER UPDATE OF status ON moments
WHEN NEW.status NOT IN ('pending', 'changes_requested')
BEGIN
  UPDATE assignments SET open = 0 WHERE moment_id = NEW.id AND open = 1;
END;
`;
