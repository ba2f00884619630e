/**
 * Nothing reads moments_open any more: `/moment list` shows what one person may see (moments_open_by_channel,
 * moments_flagger, assignments_user), never every open moment. Dropped so flags and decisions stop writing it.
 */
export const migration009 = `
DROP INDEX moments_open;
`;
