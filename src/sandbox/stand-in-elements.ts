import { isRecord } from './stand-in-types';

/**
 * Block Kit composition objects and interactive elements, checked against Slack's published limits.
 * Errors read like Slack's: "must be less than 76 characters [json-pointer:/blocks/2/elements/0/text/text]".
 */

export const at = (message: string, pointer: string): string => `${message} [json-pointer:${pointer}]`;

export interface TextRule {
  max: number;
  plainOnly?: boolean;
  required?: boolean;
}

export function checkText(value: unknown, pointer: string, rule: TextRule, errors: string[]): void {
  if (value === undefined) {
    if (rule.required === true) {
      errors.push(at('must provide an object', pointer));
    }
    return;
  }
  if (!isRecord(value)) {
    errors.push(at('must provide an object', pointer));
    return;
  }
  const allowed = rule.plainOnly === true ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
    errors.push(at(`must be a valid enum value (${allowed.join(' or ')})`, `${pointer}/type`));
  }
  checkString(value.text, `${pointer}/text`, { min: 1, max: rule.max, required: true }, errors);
}

export interface StringRule {
  min?: number;
  max: number;
  required?: boolean;
}

export function checkString(value: unknown, pointer: string, rule: StringRule, errors: string[]): void {
  if (value === undefined) {
    if (rule.required === true) {
      errors.push(at('must provide a string', pointer));
    }
    return;
  }
  if (typeof value !== 'string') {
    errors.push(at('must be a string', pointer));
    return;
  }
  if (rule.min !== undefined && value.length < rule.min) {
    errors.push(at(`must be more than ${rule.min - 1} characters`, pointer));
  }
  if (value.length > rule.max) {
    errors.push(at(`must be less than ${rule.max + 1} characters`, pointer));
  }
}

/** An array of 1..max items; returns the items when it is an array at all, so callers can check each one. */
export function checkList(value: unknown, pointer: string, max: number, errors: string[]): unknown[] {
  if (!Array.isArray(value)) {
    errors.push(at('must provide an array', pointer));
    return [];
  }
  if (value.length === 0) {
    errors.push(at('must provide at least 1 item', pointer));
  }
  if (value.length > max) {
    errors.push(at(`no more than ${max} items allowed`, pointer));
  }
  return value;
}

const OPTION_LIMITS: Record<string, number> = {
  static_select: 100,
  multi_static_select: 100,
  overflow: 5,
  radio_buttons: 10,
  checkboxes: 10,
};

export function checkElement(element: unknown, pointer: string, errors: string[]): void {
  if (!isRecord(element)) {
    errors.push(at('must provide an object', pointer));
    return;
  }
  if (typeof element.type !== 'string' || element.type.length === 0) {
    errors.push(at('missing required field: type', pointer));
    return;
  }
  checkString(element.action_id, `${pointer}/action_id`, { min: 1, max: 255 }, errors);
  checkText(element.placeholder, `${pointer}/placeholder`, { max: 150, plainOnly: true }, errors);
  if (element.confirm !== undefined) {
    checkConfirm(element.confirm, `${pointer}/confirm`, errors);
  }
  if (element.type === 'button') {
    checkText(element.text, `${pointer}/text`, { max: 75, plainOnly: true, required: true }, errors);
    checkString(element.value, `${pointer}/value`, { min: 1, max: 2000 }, errors);
    checkString(element.url, `${pointer}/url`, { min: 1, max: 3000 }, errors);
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
      errors.push(at('must be a valid enum value (primary or danger)', `${pointer}/style`));
    }
    return;
  }
  const optionLimit = OPTION_LIMITS[element.type];
  if (optionLimit !== undefined && element.option_groups === undefined) {
    const options = checkList(element.options, `${pointer}/options`, optionLimit, errors);
    const plainOnly = element.type !== 'radio_buttons' && element.type !== 'checkboxes';
    options.forEach((option, i) => checkOption(option, `${pointer}/options/${i}`, plainOnly, errors));
  }
  if (element.type === 'plain_text_input') {
    const max = checkLength(element.max_length, `${pointer}/max_length`, 1, errors);
    const min = checkLength(element.min_length, `${pointer}/min_length`, 0, errors);
    if (max !== undefined && min !== undefined && min > max) errors.push(at('must be less than or equal to max_length', `${pointer}/min_length`));
    // A prefilled value the field could not hold is refused, as Slack does, rather than cut.
    checkString(element.initial_value, `${pointer}/initial_value`, { max: max ?? 3000 }, errors);
  }
}

/** A plain_text_input's min_length or max_length: a whole number from `lowest` to 3000, when given. */
function checkLength(value: unknown, pointer: string, lowest: number, errors: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lowest || value > 3000) {
    errors.push(at(`must be an integer from ${lowest} to 3000`, pointer));
    return undefined;
  }
  return value;
}

function checkOption(option: unknown, pointer: string, plainOnly: boolean, errors: string[]): void {
  if (!isRecord(option)) {
    errors.push(at('must provide an object', pointer));
    return;
  }
  checkText(option.text, `${pointer}/text`, { max: 75, plainOnly, required: true }, errors);
  checkString(option.value, `${pointer}/value`, { min: 1, max: 150, required: true }, errors);
}

function checkConfirm(confirm: unknown, pointer: string, errors: string[]): void {
  if (!isRecord(confirm)) {
    errors.push(at('must provide an object', pointer));
    return;
  }
  checkText(confirm.title, `${pointer}/title`, { max: 100, plainOnly: true, required: true }, errors);
  checkText(confirm.text, `${pointer}/text`, { max: 300, required: true }, errors);
  checkText(confirm.confirm, `${pointer}/confirm`, { max: 30, plainOnly: true, required: true }, errors);
  checkText(confirm.deny, `${pointer}/deny`, { max: 30, plainOnly: true, required: true }, errors);
}
