/**
 * The files a flagged message carries (images, videos, files), named and counted on the card and the review DMs: an
 * image post read as its caption alone was approved by reviewers who never saw the image. Moments flagged before have
 * none.
 */
export const migration035 = `
ALTER TABLE moments ADD COLUMN source_files TEXT;
`;
