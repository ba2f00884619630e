import { parseDuration } from './parse-duration';
import { parsePercent } from './parse-percent';
import type { RoleTable } from './read-roles';
import { CHANNEL_ID } from './slack-ids';
import type { Field, YamlReader } from './yaml-reader';

/** The keys that may appear in `defaults` and, as overrides, in each topic. */
export const SETTING_KEYS = ['channel', 'decide_within', 'remind_at', 'escalate_to', 'self_approval'] as const;

/** What one `defaults` block or topic says; undefined where it says nothing (or something wrong, already reported). */
export interface Settings {
  readonly channel: string | undefined;
  /** True when `channel` was written, even if wrongly: a missing channel is then not reported a second time. */
  readonly channelWritten: boolean;
  readonly decideWithinMs: number | undefined;
  readonly remindAtFraction: number | undefined;
  readonly escalateTo: readonly string[] | undefined;
  readonly selfApproval: boolean | undefined;
}

export function readSettings(reader: YamlReader, fields: ReadonlyMap<string, Field>, roles: RoleTable): Settings {
  const channel = fields.get('channel');
  const decideWithin = fields.get('decide_within');
  const remindAt = fields.get('remind_at');
  const escalateTo = fields.get('escalate_to');
  const selfApproval = fields.get('self_approval');
  return {
    channel: channel && readChannel(reader, channel),
    channelWritten: channel !== undefined,
    decideWithinMs: decideWithin && readDecideWithin(reader, decideWithin),
    remindAtFraction: remindAt && readRemindAt(reader, remindAt),
    escalateTo: escalateTo && readEscalateTo(reader, escalateTo, roles),
    selfApproval: selfApproval && readSelfApproval(reader, selfApproval),
  };
}

/** `unknown role "lgal" in require (roles are: brand, legal)`: listing the choices makes the typo obvious. */
export function unknownRole(name: string, where: string, roles: RoleTable): string {
  const known = [...roles.keys()];
  return `unknown role "${name}" in ${where} (${known.length > 0 ? `roles are: ${known.join(', ')}` : 'no roles are defined'})`;
}

function readChannel(reader: YamlReader, field: Field): string | undefined {
  const channel = reader.text(field.value)?.trim();
  if (channel !== undefined && CHANNEL_ID.test(channel)) return channel;
  reader.fail(
    field.value ?? field.key,
    `channel ${reader.describe(field.value)} is not a Slack channel ID (C… or G…): ` +
      "in Slack, open the channel's details and copy the Channel ID shown at the bottom",
  );
  return undefined;
}

function readDecideWithin(reader: YamlReader, field: Field): number | undefined {
  const value = reader.scalar(field.value);
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const got = reader.describe(field.value);
  if (text !== undefined && /^\d+(\.\d+)?$/.test(text)) {
    reader.fail(field.value, `decide_within needs a unit (s, m or h): write e.g. ${text}m or ${text}s, got ${got}`);
    return undefined;
  }
  const ms = text === undefined ? undefined : parseDuration(text);
  if (ms === undefined) {
    reader.fail(field.value ?? field.key, `decide_within must be a duration such as 90s, 30m, 2h or 1h30m, got ${got}`);
    return undefined;
  }
  if (ms <= 0) {
    reader.fail(field.value, `decide_within must be longer than zero, got ${got}`);
    return undefined;
  }
  if (ms > DECIDE_WITHIN_MAX_MS) {
    reader.fail(field.value, `decide_within must be at most 30 days (720h), got ${got}`);
    return undefined;
  }
  return ms;
}

/**
 * A moment is worth something for minutes or hours: a month is already past any use. Far longer (a typo of a few
 * digits) made a due date no Date can hold, and every card and DM failed to render.
 */
const DECIDE_WITHIN_MAX_MS = 30 * 24 * 60 * 60 * 1000;

function readRemindAt(reader: YamlReader, field: Field): number | undefined {
  const text = reader.text(field.value);
  const fraction = text === undefined ? undefined : parsePercent(text);
  // Whole-percent bounds: 0% would remind at once, 100% at the deadline itself.
  if (fraction !== undefined && fraction >= 0.01 && fraction <= 0.99) return fraction;
  reader.fail(
    field.value ?? field.key,
    `remind_at must be a percentage of decide_within from 1% to 99%, such as 50%, got ${reader.describe(field.value)}`,
  );
  return undefined;
}

function readEscalateTo(reader: YamlReader, field: Field, roles: RoleTable): string[] | undefined {
  const items = reader.items(field, 'escalate_to must be a list of role names, in tier order, e.g. [leads] (or [] for none)');
  if (!items) return undefined;
  const tiers: string[] = [];
  let ok = true;
  for (const item of items) {
    const name = reader.text(item);
    if (name !== undefined && roles.has(name)) {
      tiers.push(name);
    } else {
      ok = false;
      reader.fail(
        item,
        name === undefined ? `escalate_to must list role names, got ${reader.describe(item)}` : unknownRole(name, 'escalate_to', roles),
      );
    }
  }
  return ok ? tiers : undefined;
}

function readSelfApproval(reader: YamlReader, field: Field): boolean | undefined {
  const value = reader.scalar(field.value);
  if (typeof value === 'boolean') return value;
  reader.fail(field.value ?? field.key, `self_approval must be true or false, got ${reader.describe(field.value)}`);
  return undefined;
}
