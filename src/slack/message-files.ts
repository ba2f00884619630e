import type { AttachedFile } from '../core/moment';
import { field, stringField } from './payload';

/** Files kept per message: a card names a few and counts the rest. */
export const FILES_KEPT = 10;

/**
 * The files a message carries (`files`, as the Web API and a message shortcut give them), each with its name and kind:
 * an image post flagged reads as its caption alone, and its reviewers must know there is more to see. At most
 * FILES_KEPT; none for a message without.
 */
export function filesOf(message: unknown): AttachedFile[] {
  const files = field(message, 'files');
  if (!Array.isArray(files)) return [];
  return files.slice(0, FILES_KEPT).map((file: unknown): AttachedFile => {
    const name = [stringField(file, 'title'), stringField(file, 'name')].map((text) => text?.trim() ?? '').find((text) => text !== '') ?? '';
    return { name: name === '' ? 'a file' : name.slice(0, 200), kind: kindOf(stringField(file, 'mimetype')) };
  });
}

function kindOf(mimetype: string | undefined): AttachedFile['kind'] {
  const type = mimetype?.split('/')[0];
  return type === 'image' || type === 'video' || type === 'audio' ? type : 'file';
}

