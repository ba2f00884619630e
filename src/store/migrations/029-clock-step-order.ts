/**
 * The last decision recorded before each clock step: which decisions a step came after is told by their order, not by
 * their times, which a step back makes ambiguous for as long as the step (see outcomesSince). Steps recorded before
 * have none, and count for no span.
 */
export const migration029 = `
ALTER TABLE clock_steps ADD COLUMN last_decision INTEGER;
`;
