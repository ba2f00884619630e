/**
 * An approval keeps the roles its person held at its tier when pressing (a JSON array of names): they are the seats it
 * may fill, so someone who left legal but still holds comms never fills legal's seat. Approvals recorded before have
 * none, and may fill any role their person was assigned, as they did.
 */
export const migration018 = `
ALTER TABLE decisions ADD COLUMN held_roles TEXT;
`;
