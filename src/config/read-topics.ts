import type { Node } from 'yaml';
import { DEFAULT_TOPIC, type Topic } from '../core/routing-types';
import { fillSeats } from '../core/seats';
import type { RoleTable } from './read-roles';
import { readSettings, SETTING_KEYS, unknownRole, type Settings } from './read-settings';
import type { Field, YamlReader } from './yaml-reader';

const TOPIC_KEYS = ['name', 'keywords', 'require', ...SETTING_KEYS] as const;
// Topic names are typed as `#topic` in Slack, so they must survive being a hashtag.
const TOPIC_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/**
 * Slack's limits on the flag form's topic menu: 100 options, each value at most 150 characters (a name is shown in
 * full in cards and lists too, so it is kept well under).
 */
export const MAX_TOPICS = 100;
export const TOPIC_NAME_MAX = 60;

const BUILT_IN = { decideWithinMs: 30 * 60_000, remindAtFraction: 0.5, escalateTo: [], selfApproval: false } as const;

/** Topics in file order with the defaults merged in; undefined entries are skipped (their problems are reported). */
export function readTopics(reader: YamlReader, section: Field | undefined, defaults: Settings, roles: RoleTable): Topic[] {
  if (!section) {
    reader.fail(
      undefined,
      `topics is missing: add a list of topics with at least one named "${DEFAULT_TOPIC}", ` +
        `e.g. "- { name: ${DEFAULT_TOPIC}, require: { brand: 1 } }"`,
    );
    return [];
  }
  const items = reader.items(section, 'topics must be a list, each item starting with "- name: …"');
  if (!items) return [];
  if (items.length === 0) {
    reader.fail(section.value, `topics is empty: add at least a topic named "${DEFAULT_TOPIC}"`);
    return [];
  }
  const topics: Topic[] = [];
  const firstLine = new Map<string, number | undefined>();
  for (const item of items) {
    const fields = reader.fields(item, 'each topic must be a mapping with at least name and require');
    if (!fields) continue;
    const name = readName(reader, item, fields, firstLine);
    // Label messages with the name as written, even when it is invalid or repeated.
    const written = reader.text(fields.find((f) => f.name === 'name')?.value);
    const where = written === undefined ? 'topic' : `topic "${written}"`;
    const topic = readTopic(reader, item, name, where, reader.checkKeys(fields, where, TOPIC_KEYS), defaults, roles);
    if (topic) topics.push(topic);
  }
  if (items.length > MAX_TOPICS) {
    reader.fail(section.key, `topics lists ${items.length} topics: Slack's flag form can offer at most ${MAX_TOPICS}; merge some (a topic may have many keywords)`);
  }
  if (!firstLine.has(DEFAULT_TOPIC)) {
    reader.fail(section.key, `no topic is named "${DEFAULT_TOPIC}": add one; it is used when no other topic's keyword matches`);
  }
  return topics;
}

/** The topic's name if present and valid; records it so a repeat is reported with the line of the first. */
function readName(reader: YamlReader, item: Node, fields: readonly Field[], seen: Map<string, number | undefined>): string | undefined {
  const field = fields.find((f) => f.name === 'name');
  if (!field) {
    reader.fail(item, 'a topic has no name: add "name: …" (lower-case letters, digits, - and _)');
    return undefined;
  }
  const name = reader.text(field.value)?.trim();
  if (name === undefined || !TOPIC_NAME.test(name)) {
    reader.fail(
      field.value ?? field.key,
      `topic name ${reader.describe(field.value)} must be lower-case letters, digits, - and _ (people type it as #name in Slack)`,
    );
    return undefined;
  }
  if (name.length > TOPIC_NAME_MAX) {
    reader.fail(field.value, `topic name "${name.slice(0, 20)}…" is ${name.length} characters long: keep it to ${TOPIC_NAME_MAX} (people type it as #name in Slack)`);
    return undefined;
  }
  if (seen.has(name)) {
    const first = seen.get(name);
    const firstAt = first === undefined ? '' : ` (first on line ${first})`;
    reader.fail(field.value, `topic name "${name}" is used twice${firstAt}: topic names must be unique`);
    return undefined;
  }
  seen.set(name, reader.lineOf(field.value));
  return name;
}

function readTopic(
  reader: YamlReader,
  item: Node,
  name: string | undefined,
  where: string,
  fields: ReadonlyMap<string, Field>,
  defaults: Settings,
  roles: RoleTable,
): Topic | undefined {
  const before = reader.errors.length;
  const own = readSettings(reader, fields, roles);
  const keywords = readKeywords(reader, fields.get('keywords'), where);
  const require = readRequire(reader, fields.get('require'), item, where, roles);
  const channel = own.channel ?? defaults.channel;
  if (channel === undefined && !own.channelWritten && !defaults.channelWritten) {
    reader.fail(item, `${where} has no channel and defaults has none: add "channel: C…" to the topic or to defaults`);
  }
  if (name === undefined || channel === undefined || keywords === undefined || require === undefined || reader.errors.length > before) {
    return undefined;
  }
  return {
    name,
    // The default topic is the fallback: it is never chosen by keyword, so its keywords would only mislead.
    keywords: name === DEFAULT_TOPIC ? [] : keywords,
    channel,
    require,
    decideWithinMs: own.decideWithinMs ?? defaults.decideWithinMs ?? BUILT_IN.decideWithinMs,
    remindAtFraction: own.remindAtFraction ?? defaults.remindAtFraction ?? BUILT_IN.remindAtFraction,
    escalateTo: own.escalateTo ?? defaults.escalateTo ?? BUILT_IN.escalateTo,
    selfApproval: own.selfApproval ?? defaults.selfApproval ?? BUILT_IN.selfApproval,
  };
}

function readKeywords(reader: YamlReader, field: Field | undefined, where: string): string[] | undefined {
  if (!field) return [];
  const items = reader.items(field, `keywords of ${where} must be a list of words, e.g. [outage, recall]`);
  if (!items) return undefined;
  const keywords: string[] = [];
  for (const item of items) {
    const keyword = reader.text(item)?.trim().toLowerCase();
    if (keyword === undefined) {
      reader.fail(item, `keyword ${reader.describe(item)} in ${where} is not text: write keywords as words, quoting numbers ("2024")`);
    } else if (keyword === '') {
      reader.fail(item, `empty keyword in ${where}: remove it (it would match every message)`);
    } else if (!keywords.includes(keyword)) {
      keywords.push(keyword);
    }
  }
  return keywords;
}

function readRequire(
  reader: YamlReader,
  field: Field | undefined,
  item: Node,
  where: string,
  roles: RoleTable,
): Record<string, number> | undefined {
  const example = 'e.g. "require: { brand: 1 }"';
  if (!field) {
    reader.fail(item, `${where} has no require: add the roles that must approve and how many of each, ${example}`);
    return undefined;
  }
  const entries = reader.fields(field.value, `require of ${where} must map role names to approval counts, ${example}`, field.key);
  if (!entries) return undefined;
  if (entries.length === 0) {
    reader.fail(field.value, `require of ${where} is empty: name at least one role that must approve, ${example}`);
    return undefined;
  }
  // Null prototype: role names come from the file, and one called "constructor" must not find Object's.
  const require = Object.create(null) as Record<string, number>;
  const before = reader.errors.length;
  for (const entry of entries) {
    const count = reader.scalar(entry.value);
    if (!roles.has(entry.name)) {
      reader.fail(entry.key, unknownRole(entry.name, 'require', roles));
    } else if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
      const got = reader.describe(entry.value);
      reader.fail(entry.value ?? entry.key, `require count for "${entry.name}" must be a whole number of at least 1, got ${got}`);
    } else {
      require[entry.name] = count;
      checkStaffing(reader, entry, count, where, roles);
    }
  }
  // Each role alone is staffed; whether they are together is only worth asking once that holds.
  if (reader.errors.length === before) checkSharedStaffing(reader, field, require, where, roles);
  return require;
}

/** A count larger than a fixed member list can never be met; with a user group the size is only known at run time. */
function checkStaffing(reader: YamlReader, entry: Field, count: number, where: string, roles: RoleTable): void {
  const role = roles.get(entry.name);
  if (!role || role.usergroups.length > 0) return;
  const listed = role.userIds.length + role.emails.length;
  if (count > listed) {
    reader.fail(
      entry.value,
      `${where} needs ${count} approvals from "${entry.name}", which lists only ${listed} ` +
        `${listed === 1 ? 'person' : 'people'}: add members or lower the count`,
    );
  }
}

/**
 * Roles listed by fixed members that share people may be staffed one by one and still never approvable
 * together: with the only member of comms also the only one of legal, "comms: 1, legal: 1" needs two people
 * and has one. Checked with the approval policy's own seat matching. Roles with a user group are left out:
 * the group may bring the people missing, which is only known at run time (a flag is then refused instead).
 */
function checkSharedStaffing(reader: YamlReader, field: Field, require: Record<string, number>, where: string, roles: RoleTable): void {
  const fixed = Object.create(null) as Record<string, number>;
  const holders = new Map<string, string[]>();
  for (const [name, count] of Object.entries(require)) {
    const role = roles.get(name);
    if (!role || role.usergroups.length > 0) continue;
    fixed[name] = count;
    // Emails are matched whatever their case; an email and a user ID of one person cannot be told apart here.
    for (const person of [...role.userIds, ...role.emails.map((e) => e.toLowerCase())]) holders.set(person, [...(holders.get(person) ?? []), name]);
  }
  const { short, shortOf } = fillSeats(fixed, holders);
  if (short.length === 0) return;
  const needed = short.reduce((sum, name) => sum + (fixed[name] ?? 0), 0);
  reader.fail(
    field.key,
    `${where} needs ${needed} approvals from different people for ${short.map((r) => `"${r}"`).join(', ')}, but these roles ` +
      `list only ${shortOf} ${shortOf === 1 ? 'person' : 'people'} between them: add members or lower the counts`,
  );
}
