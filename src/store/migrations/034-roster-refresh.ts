/**
 * A refresh of the open cards and DMs under way (see refreshCardsForRoster): the roster the messages not reached yet
 * still show, the directory's read it brings them to, the last moment reached, and which refresh is doing it. The
 * roster saved becomes the new one when the refresh starts, in the same transaction, so a second process reading the
 * same change finds it taken and queues nothing twice; a refresh stopped half-way (a crash, a busy database) is
 * finished from where it stopped instead of started over, which would remind people twice.
 */
export const migration034 = `
ALTER TABLE roster_shown ADD COLUMN refresh_from TEXT;
ALTER TABLE roster_shown ADD COLUMN refresh_to TEXT;
ALTER TABLE roster_shown ADD COLUMN refresh_done_through INTEGER;
ALTER TABLE roster_shown ADD COLUMN refresh_by TEXT;
`;
