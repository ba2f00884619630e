import { at, checkElement, checkList, checkString, checkText } from './stand-in-elements';
import { isRecord } from './stand-in-types';
import { blockText } from '../slack/blocks/mrkdwn';

/** Slack's limits on blocks per surface. */
export const MESSAGE_BLOCK_LIMIT = 50;
export const VIEW_BLOCK_LIMIT = 100;

/** Above this, chat.postMessage / chat.update answer msg_too_long. */
export const MESSAGE_TEXT_LIMIT = 40_000;

/**
 * Above this much text in all of a message's blocks, chat.postMessage / chat.update answer msg_blocks_too_long. Slack
 * does not publish it per method (12,000 characters in its markdown block's reference); refusals are reported from
 * about 11,300, so the stand-in refuses past 11,000.
 */
export const MESSAGE_BLOCKS_TEXT_LIMIT = 11_000;

/** msg_blocks_too_long when a message's blocks hold more text in all than Slack takes. */
export function blocksTooLong(blocks: unknown): boolean {
  return blockText(blocks) > MESSAGE_BLOCKS_TEXT_LIMIT;
}

const PASS_THROUGH_TYPES = new Set(['divider', 'rich_text', 'video', 'file', 'call']);

/**
 * Checks a surface's blocks the way Slack does before accepting them; returns Slack-style error lines
 * (empty when valid). `pointer` is where the array sits in the request, e.g. '/blocks' or '/view/blocks'.
 */
export function checkBlocks(blocks: unknown, limit: number, pointer = '/blocks'): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) {
    errors.push(at('must provide an array', pointer));
    return errors;
  }
  if (blocks.length > limit) {
    errors.push(at(`no more than ${limit} items allowed`, pointer));
  }
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const here = `${pointer}/${i}`;
    if (isRecord(block) && typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) {
        errors.push(at(`duplicate block_id "${block.block_id}"`, `${here}/block_id`));
      }
      blockIds.add(block.block_id);
    }
    checkBlock(block, here, errors);
  });
  return errors;
}

function checkBlock(block: unknown, pointer: string, errors: string[]): void {
  if (!isRecord(block)) {
    errors.push(at('must provide an object', pointer));
    return;
  }
  if (typeof block.type !== 'string' || block.type.length === 0) {
    errors.push(at('missing required field: type', pointer));
    return;
  }
  checkString(block.block_id, `${pointer}/block_id`, { min: 1, max: 255 }, errors);
  switch (block.type) {
    case 'section':
      checkSection(block, pointer, errors);
      return;
    case 'header':
      checkText(block.text, `${pointer}/text`, { max: 150, plainOnly: true, required: true }, errors);
      return;
    case 'context':
      checkList(block.elements, `${pointer}/elements`, 10, errors).forEach((element, i) =>
        checkContextElement(element, `${pointer}/elements/${i}`, errors),
      );
      return;
    case 'actions':
      checkActions(block, pointer, errors);
      return;
    case 'image':
      checkString(block.image_url, `${pointer}/image_url`, { min: 1, max: 3000, required: block.slack_file === undefined }, errors);
      checkString(block.alt_text, `${pointer}/alt_text`, { min: 1, max: 2000, required: true }, errors);
      checkText(block.title, `${pointer}/title`, { max: 2000, plainOnly: true }, errors);
      return;
    case 'input':
      checkText(block.label, `${pointer}/label`, { max: 2000, plainOnly: true, required: true }, errors);
      checkText(block.hint, `${pointer}/hint`, { max: 2000, plainOnly: true }, errors);
      checkElement(block.element, `${pointer}/element`, errors);
      return;
    case 'markdown':
      checkString(block.text, `${pointer}/text`, { min: 1, max: 12_000, required: true }, errors);
      return;
    default:
      if (!PASS_THROUGH_TYPES.has(block.type)) {
        errors.push(at(`must be a valid block type, not "${block.type}"`, `${pointer}/type`));
      }
  }
}

function checkSection(block: Record<string, unknown>, pointer: string, errors: string[]): void {
  if (block.text === undefined && block.fields === undefined) {
    errors.push(at('must provide either text or fields', pointer));
  }
  checkText(block.text, `${pointer}/text`, { max: 3000 }, errors);
  if (block.fields !== undefined) {
    checkList(block.fields, `${pointer}/fields`, 10, errors).forEach((field, i) =>
      checkText(field, `${pointer}/fields/${i}`, { max: 2000, required: true }, errors),
    );
  }
  if (block.accessory !== undefined) {
    checkElement(block.accessory, `${pointer}/accessory`, errors);
  }
}

function checkActions(block: Record<string, unknown>, pointer: string, errors: string[]): void {
  const actionIds = new Set<string>();
  checkList(block.elements, `${pointer}/elements`, 25, errors).forEach((element, i) => {
    const here = `${pointer}/elements/${i}`;
    checkElement(element, here, errors);
    if (isRecord(element) && typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) {
        errors.push(at(`duplicate action_id "${element.action_id}"`, `${here}/action_id`));
      }
      actionIds.add(element.action_id);
    }
  });
}

function checkContextElement(element: unknown, pointer: string, errors: string[]): void {
  if (isRecord(element) && element.type === 'image') {
    checkString(element.image_url, `${pointer}/image_url`, { min: 1, max: 3000, required: element.slack_file === undefined }, errors);
    checkString(element.alt_text, `${pointer}/alt_text`, { min: 1, max: 2000, required: true }, errors);
    return;
  }
  checkText(element, pointer, { max: 3000, required: true }, errors);
}

/** Checks a modal or Home tab as views.open/update/push/publish would; `kind` is what the method accepts. */
export function checkView(view: unknown, kinds: readonly string[]): string[] {
  if (!isRecord(view)) {
    return [at('must provide an object', '/view')];
  }
  const errors: string[] = [];
  if (typeof view.type !== 'string' || !kinds.includes(view.type)) {
    errors.push(at(`must be a valid enum value (${kinds.join(' or ')})`, '/view/type'));
  }
  if (view.type === 'modal') {
    checkText(view.title, '/view/title', { max: 24, plainOnly: true, required: true }, errors);
    checkText(view.submit, '/view/submit', { max: 24, plainOnly: true }, errors);
    checkText(view.close, '/view/close', { max: 24, plainOnly: true }, errors);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) {
      errors.push(at('must provide submit when the view has input blocks', '/view/submit'));
    }
  }
  checkString(view.callback_id, '/view/callback_id', { max: 255 }, errors);
  checkString(view.private_metadata, '/view/private_metadata', { max: 3000 }, errors);
  checkString(view.external_id, '/view/external_id', { min: 1, max: 255 }, errors);
  errors.push(...checkBlocks(view.blocks, VIEW_BLOCK_LIMIT, '/view/blocks'));
  return errors;
}
