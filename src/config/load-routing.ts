import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { RoleSource, Routing } from '../core/routing-types';
import { readRoles } from './read-roles';
import { readSettings, SETTING_KEYS, type Settings } from './read-settings';
import { readTopics } from './read-topics';
import type { RoutingError, RoutingResult } from './routing-error';
import { syntaxErrors } from './syntax-errors';
import { YamlReader } from './yaml-reader';

export { formatRoutingError, type RoutingError, type RoutingResult } from './routing-error';

const TOP_KEYS = ['defaults', 'roles', 'topics'] as const;
const EXAMPLE = 'src/config/routing.example.yml';
const NO_SETTINGS: Settings = {
  channel: undefined,
  channelWritten: false,
  decideWithinMs: undefined,
  remindAtFraction: undefined,
  escalateTo: undefined,
  selfApproval: undefined,
};

/** Reads and checks the routing file at `path` (YAML or JSON). A missing file is one error, not an exception. */
export function loadRouting(path: string): RoutingResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    return { ok: false, errors: [{ file: path, line: undefined, message: unreadable(error, path) }] };
  }
  return parseRouting(text, path);
}

/** Parses routing text (YAML, or JSON, which is YAML too); `file` only labels the errors. Every problem is reported. */
export function parseRouting(text: string, file: string): RoutingResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  // Past a syntax error the tree is guesswork: report the syntax alone.
  if (doc.errors.length > 0) return { ok: false, errors: syntaxErrors(doc, lines, file) };
  const reader = new YamlReader(doc, lines, file);
  const root = reader.node(doc.contents);
  if (root === undefined || reader.scalar(root) === null) {
    return { ok: false, errors: [{ file, line: undefined, message: `the routing file is empty: copy ${EXAMPLE} and edit it` }] };
  }
  const rootFields = reader.fields(root, `the routing file must be a mapping with defaults, roles and topics (see ${EXAMPLE})`);
  if (!rootFields) return { ok: false, errors: reader.errors };
  const top = reader.checkKeys(rootFields, 'the routing file', TOP_KEYS);

  // Roles first, wherever they sit in the file: defaults and topics refer to them.
  const roles = readRoles(reader, top.get('roles'));
  const defaultsField = top.get('defaults');
  // `defaults:` left empty (every line commented out) means the built-in defaults, not an error.
  const defaultsFields =
    defaultsField?.value &&
    reader.knownFields(defaultsField, `defaults must be a mapping of ${SETTING_KEYS.join(', ')}`, 'defaults', SETTING_KEYS);
  const defaults = defaultsFields ? readSettings(reader, defaultsFields, roles) : NO_SETTINGS;
  const topics = readTopics(reader, top.get('topics'), defaults, roles);

  if (reader.errors.length > 0) return { ok: false, errors: byLine(reader.errors) };
  const resolved: RoleSource[] = [];
  for (const role of roles.values()) if (role) resolved.push(role);
  // Null prototype, as for `require`: a lookup of a role name from the file must not reach Object.prototype.
  const byName = Object.assign(Object.create(null) as Record<string, RoleSource>, Object.fromEntries(resolved.map((r) => [r.name, r])));
  const routing: Routing = { roles: byName, topics };
  return { ok: true, routing };
}

function byLine(errors: readonly RoutingError[]): RoutingError[] {
  // Stable sort: problems about the file as a whole (no line) first, then top to bottom.
  return [...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** What is wrong with the file as a whole; the file's path is printed before it (formatRoutingError). */
function unreadable(error: unknown, path: string): string {
  // Not `instanceof Error`: errors from node's fs can come from another realm (jest, vm) and fail that test.
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  switch (code) {
    case 'ENOENT':
      // A relative path is read from the folder Greenlight was started in, which under a supervisor may not be the app's.
      return `routing file not found${isAbsolute(path) ? '' : ` (looked for ${resolve(path)})`}: copy the example (${EXAMPLE}, see the README) or set ROUTING_FILE`;
    case 'EISDIR':
      return `routing file is a folder: set ROUTING_FILE to the YAML or JSON file inside it`;
    case 'EACCES':
    case 'EPERM':
      return `routing file cannot be read (permission denied): let the user running Greenlight read it`;
    default:
      return `routing file cannot be read (${code ?? String(error)}): check ROUTING_FILE`;
  }
}
