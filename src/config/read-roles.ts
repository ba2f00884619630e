import { isScalar } from 'yaml';
import type { RoleSource } from '../core/routing-types';
import { EMAIL, USERGROUP_ID, USER_ID } from './slack-ids';
import type { Field, YamlReader } from './yaml-reader';

const ROLE_KEYS = ['members', 'usergroup'] as const;

/**
 * Roles by name. A role whose body is wrong maps to undefined: its name is still known, so a `require` naming it
 * is not reported a second time as an unknown role.
 */
export type RoleTable = ReadonlyMap<string, RoleSource | undefined>;

export function readRoles(reader: YamlReader, section: Field | undefined): RoleTable {
  const roles = new Map<string, RoleSource | undefined>();
  if (!section) {
    reader.fail(undefined, 'roles is missing: add a roles section saying who reviews, e.g. "brand: { members: [U0123ABCD] }"');
    return roles;
  }
  const fields = reader.fields(section.value, 'roles must be a mapping of role name to { members, usergroup }', section.key);
  if (!fields) return roles;
  if (fields.length === 0) reader.fail(section.key, 'roles is empty: add at least one role, e.g. "brand: { members: [U0123ABCD] }"');
  for (const field of fields) roles.set(field.name, readRole(reader, field));
  return roles;
}

function readRole(reader: YamlReader, role: Field): RoleSource | undefined {
  const where = `role "${role.name}"`;
  const fields = reader.knownFields(
    role,
    `${where} must be a mapping with members and/or usergroup, e.g. { members: [U0123ABCD] }`,
    where,
    ROLE_KEYS,
  );
  if (!fields) return undefined;
  const before = reader.errors.length;
  const userIds: string[] = [];
  const emails: string[] = [];
  const usergroups: string[] = [];

  const members = fields.get('members');
  if (members) {
    const items = reader.items(members, `members of ${where} must be a list of user IDs or emails, e.g. [U0123ABCD, ana@example.com]`);
    for (const item of items ?? []) {
      const member = reader.text(item)?.trim();
      if (member !== undefined && USER_ID.test(member)) userIds.push(member);
      else if (member !== undefined && EMAIL.test(member)) emails.push(member);
      else if (member !== undefined && USERGROUP_ID.test(member))
        reader.fail(item, `"${member}" in members of ${where} is a user group ID, not a person: write it as "usergroup: ${member}" instead`);
      else
        reader.fail(
          item,
          `${reader.describe(item)} in members of ${where} is neither a Slack user ID (U… or W…) nor an email: ` +
            "copy the member ID from the person's Slack profile (⋮ → Copy member ID)",
        );
    }
  }

  const usergroup = fields.get('usergroup');
  if (usergroup) {
    // One group is the common case, so a bare string is accepted as well as a list.
    const items = isScalar(usergroup.value)
      ? [usergroup.value]
      : reader.items(usergroup, `usergroup of ${where} must be a user group ID (S…) or a list of them`);
    for (const item of items ?? []) {
      const id = reader.text(item)?.trim();
      if (id !== undefined && USERGROUP_ID.test(id)) usergroups.push(id);
      else if (id !== undefined && (USER_ID.test(id) || EMAIL.test(id)))
        reader.fail(item, `usergroup "${id}" of ${where} is a person, not a user group: list people under members, e.g. "members: [${id}]"`);
      else
        reader.fail(
          item,
          `usergroup ${reader.describe(item)} of ${where} is not a Slack user group ID: it starts with S ` +
            '(find it with usergroups.list, or in the group\'s link in Slack)',
        );
    }
  }

  if (reader.errors.length > before) return undefined;
  if (userIds.length + emails.length + usergroups.length === 0) {
    reader.fail(role.key, `${where} has no reviewers: add members (user IDs or emails) or a usergroup (S…)`);
    return undefined;
  }
  // Listing someone twice would not make them two approvers; drop the repeat quietly.
  return { name: role.name, userIds: unique(userIds), emails: unique(emails), usergroups: unique(usergroups) };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
