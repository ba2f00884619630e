/**
 * `/moment list` shows the open moments reviewed in the channel it is run in (besides the person's own): this
 * finds them without reading every open moment. Partial like moments_open, so it holds open moments only.
 */
export const migration008 = `
CREATE INDEX moments_open_by_channel ON moments (review_channel, created_at) WHERE status IN ('pending', 'changes_requested');
`;
