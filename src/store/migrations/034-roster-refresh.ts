/**
 * A refresh of the open cards and DMs under way (see refreshCardsForRoster): the roster the messages not reached yet
 * still show, the directory's read it brings them to, the last moment reached, the newest moment it has to reach (one
 * flagged later was drawn from the new roster already), and which refresh is doing it. The roster saved becomes the new
 * one when the refresh starts, in the same transaction, so a second process reading the same change finds it taken and
 * queues nothing twice; a refresh stopped half-way (a crash, a busy database) is finished from where it stopped instead
 * of started over, which would remind people twice.
 *
 * And the flagger's confirmation and the replies under a flagged message leave the card's lane for lanes of their own
 * (see laneOf): those an earlier version queued and did not send yet move too, or a reply queued after the upgrade
 * could overtake one queued before it.
 */
export const migration034 = `
ALTER TABLE roster_shown ADD COLUMN refresh_from TEXT;
ALTER TABLE roster_shown ADD COLUMN refresh_to TEXT;
ALTER TABLE roster_shown ADD COLUMN refresh_done_through INTEGER;
ALTER TABLE roster_shown ADD COLUMN refresh_through INTEGER;
ALTER TABLE roster_shown ADD COLUMN refresh_by TEXT;
UPDATE outbox SET lane = 'confirm' WHERE done_at IS NULL AND kind = 'confirm_flag';
UPDATE outbox SET lane = 'source' WHERE done_at IS NULL AND kind = 'source_reply';
`;
