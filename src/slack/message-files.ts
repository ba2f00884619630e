import type { AttachedFile } from '../core/moment';
import { isLinkPreview, listOf } from './message-words';
import { field, stringField } from './payload';

/** Files kept per message: a card names a few and counts the rest. */
export const FILES_KEPT = 10;

/**
 * What a message carries beside its words, each with its name (blank when Slack gives none) and kind: an image post
 * flagged reads as its caption alone, and its reviewers must know there is more to see. A person's post lists its files
 * (`files`; one deleted since, or hidden by the workspace's plan, is nothing to see); an app's (a scheduler's) shows
 * its image in an image block or an attachment that is not a link's preview. At most FILES_KEPT; none for a message
 * without.
 */
export function filesOf(message: unknown): AttachedFile[] {
  const shared = listOf(field(message, 'files'))
    .filter((file) => !['tombstone', 'hidden_by_limit'].includes(stringField(file, 'mode') ?? ''))
    .map((file): AttachedFile => ({ name: nameOf(stringField(file, 'title'), stringField(file, 'name')), kind: kindOf(stringField(file, 'mimetype')) }));
  const imageBlocks = listOf(field(message, 'blocks'))
    .filter((block) => stringField(block, 'type') === 'image')
    .map((block): AttachedFile => ({ name: nameOf(stringField(field(block, 'title'), 'text'), stringField(block, 'alt_text')), kind: 'image' }));
  const attachedImages = listOf(field(message, 'attachments'))
    .filter((attachment) => !isLinkPreview(attachment) && (stringField(attachment, 'image_url') ?? stringField(attachment, 'thumb_url')) !== undefined)
    .map((attachment): AttachedFile => ({ name: nameOf(stringField(attachment, 'title'), stringField(attachment, 'fallback')), kind: 'image' }));
  return [...shared, ...imageBlocks, ...attachedImages].slice(0, FILES_KEPT);
}

/** The first of `names` with any words, cut to 200 characters; blank when none has (a file Slack names only by its id). */
function nameOf(...names: (string | undefined)[]): string {
  return (names.map((name) => name?.trim() ?? '').find((name) => name !== '') ?? '').slice(0, 200);
}

function kindOf(mimetype: string | undefined): AttachedFile['kind'] {
  const type = mimetype?.split('/')[0];
  return type === 'image' || type === 'video' || type === 'audio' ? type : 'file';
}
