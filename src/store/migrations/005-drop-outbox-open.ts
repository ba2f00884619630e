/**
 * The first outbox index (open rows by due time) lost its last reader when migration 004 gave the
 * worker its own indexes; every index is a page to write on each enqueue and each delivery.
 */
export const migration005 = `
DROP INDEX outbox_open;
`;
