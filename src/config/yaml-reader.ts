import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { RoutingError } from './routing-error';

/** One `key: value` of a mapping; `value` is undefined when the key has nothing after it. */
export interface Field {
  readonly name: string;
  readonly key: Node;
  readonly value: Node | undefined;
}

/**
 * Reads the YAML syntax tree (not plain JS) so every complaint can carry the line of the node it is about.
 * Each method reports what is wrong and returns undefined, so callers collect all problems in one pass.
 */
export class YamlReader {
  readonly errors: RoutingError[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  /** The node itself, with `*alias` references followed. */
  node(raw: unknown): Node | undefined {
    if (isAlias(raw)) return raw.resolve(this.doc);
    return isNode(raw) ? raw : undefined;
  }

  lineOf(node: Node | undefined): number | undefined {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line } = this.lines.linePos(offset);
    return line > 0 ? line : undefined;
  }

  fail(at: Node | undefined, message: string): void {
    this.errors.push({ file: this.file, line: this.lineOf(at), message });
  }

  /**
   * The fields of a mapping, or undefined (reported with `notMap`) when the node is something else.
   * `at` locates the complaint when the node is absent (`key:` with nothing after it).
   */
  fields(node: Node | undefined, notMap: string, at?: Node): Field[] | undefined {
    if (!isMap(node)) {
      this.fail(node ?? at, `${notMap}, got ${this.describe(node)}`);
      return undefined;
    }
    const fields: Field[] = [];
    for (const pair of node.items) {
      const key = this.node(pair.key);
      const value = this.node(pair.value);
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number') || key.value === '') {
        this.fail(key ?? node, `keys must be plain words, got ${this.describe(key)}`);
        continue;
      }
      // `key:` with nothing after it parses as a null scalar; treat it as absent so the message says "missing".
      const empty = isScalar(value) && value.value === null;
      fields.push({ name: String(key.value), key, value: empty ? undefined : value });
    }
    return fields;
  }

  /** Like `fields`, and reports every key outside `allowed` (typos such as `decide_whithin`). */
  knownFields(field: Field, notMap: string, where: string, allowed: readonly string[]): Map<string, Field> | undefined {
    const fields = this.fields(field.value, notMap, field.key);
    return fields && this.checkKeys(fields, where, allowed);
  }

  checkKeys(fields: readonly Field[], where: string, allowed: readonly string[]): Map<string, Field> {
    const known = new Map<string, Field>();
    for (const field of fields) {
      if (allowed.includes(field.name)) known.set(field.name, field);
      else this.fail(field.key, `unknown key "${field.name}" in ${where} (allowed: ${allowed.join(', ')})`);
    }
    return known;
  }

  /** The items of a list, or undefined (reported with `notList`). */
  items(field: Field, notList: string): Node[] | undefined {
    if (!isSeq(field.value)) {
      this.fail(field.value ?? field.key, `${notList}, got ${this.describe(field.value)}`);
      return undefined;
    }
    const items: Node[] = [];
    for (const item of field.value.items) {
      const node = this.node(item);
      if (node) items.push(node);
    }
    return items;
  }

  /** A scalar's plain value (string, number, boolean or null); undefined for lists, mappings and absent nodes. */
  scalar(node: Node | undefined): unknown {
    return isScalar(node) ? node.value : undefined;
  }

  text(node: Node | undefined): string | undefined {
    const value = this.scalar(node);
    return typeof value === 'string' ? value : undefined;
  }

  /** How a value reads in a message: `"abc"`, `30`, `true`, `a list`, `nothing`. */
  describe(node: Node | undefined): string {
    if (node === undefined) return 'nothing';
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    const value = this.scalar(node);
    if (value === null || value === undefined) return 'nothing';
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  }
}
