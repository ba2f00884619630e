/**
 * The clock steps back whose deadlines were moved, so a second process on the database (an overlapping deploy), which
 * sees the same step, does not move them back twice (see clockStepsTable).
 */
export const migration025 = `
CREATE TABLE clock_steps (
  at      INTEGER NOT NULL,
  step_ms INTEGER NOT NULL
) STRICT;
`;
