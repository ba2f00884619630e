import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRoutingError, loadRouting, parseRouting } from '../../src/config/load-routing';
import { DESIGN_EXAMPLE, errorsOf, HEAD, routingOf, yaml } from './routing-fixtures';

describe('parseRouting', () => {
  describe('with a good file', () => {
    it('resolves the design example into plain values with the defaults merged in', () => {
      expect(routingOf(parseRouting(DESIGN_EXAMPLE, 'routing.yml'))).toEqual({
        roles: {
          brand: { name: 'brand', userIds: ['U0AAA'], emails: ['ana@example.com'], usergroups: [] },
          legal: { name: 'legal', userIds: [], emails: [], usergroups: ['S0LEGAL'] },
          comms: { name: 'comms', userIds: ['U0CCC'], emails: [], usergroups: [] },
          leads: { name: 'leads', userIds: ['U0LEAD'], emails: [], usergroups: [] },
        },
        topics: [
          {
            name: 'crisis',
            keywords: ['outage', 'recall', 'complaint', 'boycott'],
            channel: 'C0123CRISIS',
            require: { comms: 1, legal: 1 },
            decideWithinMs: 600_000,
            remindAtFraction: 0.5,
            escalateTo: ['leads'],
            selfApproval: false,
          },
          {
            name: 'default',
            keywords: [],
            channel: 'C0123REVIEW',
            require: { brand: 1 },
            decideWithinMs: 1_800_000,
            remindAtFraction: 0.5,
            escalateTo: ['leads'],
            selfApproval: false,
          },
        ],
      });
    });

    it('uses 30m, 50%, no escalation and no self-approval when the file says nothing', () => {
      const routing = routingOf(parseRouting(yaml(...HEAD, '  - { name: default, require: { brand: 1 } }'), 'routing.yml'));
      expect(routing.topics[0]).toMatchObject({ decideWithinMs: 1_800_000, remindAtFraction: 0.5, escalateTo: [], selfApproval: false });
    });

    it('lets a topic override every default', () => {
      const routing = routingOf(
        parseRouting(
          yaml(
            ...HEAD,
            '  - name: default',
            '    require: { brand: 1 }',
            '    channel: G0PRIVATE',
            '    decide_within: 1h30m',
            '    remind_at: 25%',
            '    escalate_to: [comms, leads]',
            '    self_approval: true',
          ),
          'routing.yml',
        ),
      );
      expect(routing.topics[0]).toMatchObject({
        channel: 'G0PRIVATE',
        decideWithinMs: 5_400_000,
        remindAtFraction: 0.25,
        escalateTo: ['comms', 'leads'],
        selfApproval: true,
      });
    });

    it('needs no defaults channel when every topic has its own', () => {
      const text = yaml('roles:', '  brand: { members: [U0AAA] }', 'topics:', '  - { name: default, channel: C0ONE, require: { brand: 1 } }');
      expect(routingOf(parseRouting(text, 'routing.yml')).topics[0]?.channel).toBe('C0ONE');
    });

    it('lower-cases keywords, ignores the default topic\'s, and keeps topics in file order', () => {
      const routing = routingOf(
        parseRouting(
          yaml(...HEAD, '  - { name: sports, keywords: [Final, SCORE], require: { brand: 1 } }', '  - { name: default, keywords: [anything], require: { brand: 1 } }', '  - { name: b-side, require: { brand: 1 } }'),
          'routing.yml',
        ),
      );
      expect(routing.topics.map((t) => [t.name, t.keywords])).toEqual([
        ['sports', ['final', 'score']],
        ['default', []],
        ['b-side', []],
      ]);
    });

    it('accepts a list of user groups and a role with both members and a group', () => {
      const text = yaml('defaults: { channel: C0R }', 'roles:', '  legal: { members: [W0ENT], usergroup: [S0ONE, S0TWO] }', 'topics:', '  - { name: default, require: { legal: 1 } }');
      expect(routingOf(parseRouting(text, 'routing.yml')).roles.legal).toEqual({
        name: 'legal',
        userIds: ['W0ENT'],
        emails: [],
        usergroups: ['S0ONE', 'S0TWO'],
      });
    });

    it('accepts JSON', () => {
      const json = JSON.stringify({
        defaults: { channel: 'C0123REVIEW', decide_within: '90s' },
        roles: { brand: { members: ['U0AAA'] } },
        topics: [{ name: 'default', require: { brand: 1 } }],
      });
      expect(routingOf(parseRouting(json, 'routing.json')).topics[0]?.decideWithinMs).toBe(90_000);
    });

    it('does not mistake Object.prototype names for roles', () => {
      const routing = routingOf(parseRouting(DESIGN_EXAMPLE, 'routing.yml'));
      expect(routing.roles.constructor).toBeUndefined();
      expect(routing.topics[0]?.require.toString).toBeUndefined();
    });
  });

  describe('with a broken file', () => {
    it('gives the line of a YAML syntax error', () => {
      expect(errorsOf(yaml('defaults:', '  channel: C0123REVIEW', '  escalate_to: [leads', 'roles: {}'))).toEqual([
        'routing.yml:4: Flow sequence in block collection must be sufficiently indented and end with a ] (YAML syntax: check indentation, quotes and brackets here or just above)',
      ]);
    });

    it('points at the line where an unclosed quote opens, not the end of the file', () => {
      expect(errorsOf(yaml('defaults:', '  channel: C0123REVIEW', '  decide_within: "30m', 'roles: {}', 'topics: []'))).toEqual([
        'routing.yml:3: Missing closing "quote: the quote opened on this line is never closed',
      ]);
    });

    it('gives the line of a repeated key', () => {
      expect(errorsOf(yaml('defaults:', '  channel: C0123REVIEW', '  channel: C0OTHER'))).toEqual([
        'routing.yml:3: Map keys must be unique (YAML syntax: check indentation, quotes and brackets here or just above)',
      ]);
    });

    it('says an empty file is empty', () => {
      expect(errorsOf('# nothing here\n')).toEqual(['routing.yml: the routing file is empty: copy src/config/routing.example.yml and edit it']);
    });

    it('says which sections are missing', () => {
      expect(errorsOf(yaml('defaults:', '  channel: C0123REVIEW'))).toEqual([
        'routing.yml: roles is missing: add a roles section saying who reviews, e.g. "brand: { members: [U0123ABCD] }"',
        'routing.yml: topics is missing: add a list of topics with at least one named "default", e.g. "- { name: default, require: { brand: 1 } }"',
      ]);
    });

    it('names an unknown key at the top level', () => {
      expect(errorsOf(yaml(...HEAD, '  - { name: default, require: { brand: 1 } }', 'topic: []'))).toEqual([
        'routing.yml:10: unknown key "topic" in the routing file (allowed: defaults, roles, topics)',
      ]);
    });
  });

});

describe('loadRouting', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'greenlight-routing-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a YAML file', () => {
    const path = join(dir, 'routing.yml');
    writeFileSync(path, DESIGN_EXAMPLE);
    expect(routingOf(loadRouting(path)).topics.map((t) => t.name)).toEqual(['crisis', 'default']);
  });

  it('reads a JSON file', () => {
    const path = join(dir, 'routing.json');
    writeFileSync(path, JSON.stringify({ roles: { brand: { members: ['U0AAA'] } }, topics: [{ name: 'default', channel: 'C0R', require: { brand: 1 } }] }, null, 2));
    expect(routingOf(loadRouting(path)).topics[0]?.channel).toBe('C0R');
  });

  it('labels errors with the path it was given', () => {
    const path = join(dir, 'bad.yml');
    writeFileSync(path, yaml(...HEAD, '  - { name: default, require: { lgal: 1 } }'));
    const result = loadRouting(path);
    expect(result.ok ? [] : result.errors.map(formatRoutingError)).toEqual([
      `${path}:9: unknown role "lgal" in require (roles are: brand, legal, comms, leads)`,
    ]);
  });

  it('says how to get a routing file when there is none, and where a relative path was looked for', () => {
    const result = loadRouting('./no-such-routing.yml');
    expect(result.ok ? [] : result.errors.map(formatRoutingError)).toEqual([
      `./no-such-routing.yml: routing file not found (looked for ${join(process.cwd(), 'no-such-routing.yml')}): ` +
        'copy the example (src/config/routing.example.yml, see the README) or set ROUTING_FILE',
    ]);
  });

  it('says when the path is a folder', () => {
    const result = loadRouting(dir);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      `routing file is a folder: set ROUTING_FILE to the YAML or JSON file inside it`,
    ]);
  });

  it('parses the shipped example, with the topics the README describes', () => {
    const routing = routingOf(loadRouting(join(__dirname, '../../src/config/routing.example.yml')));
    expect(routing.topics.map((t) => t.name)).toEqual(['crisis', 'sports', 'product', 'default']);
    expect(Object.keys(routing.roles)).toEqual(['brand', 'legal', 'comms', 'leads']);
  });
});

describe('formatRoutingError', () => {
  it('puts the line after the file, as editors expect', () => {
    expect(formatRoutingError({ file: 'routing.yml', line: 12, message: 'unknown role "lgal" in require (roles are: brand, legal, comms, leads)' })).toBe(
      'routing.yml:12: unknown role "lgal" in require (roles are: brand, legal, comms, leads)',
    );
  });

  it('leaves the line out when the problem is the whole file', () => {
    expect(formatRoutingError({ file: 'routing.yml', line: undefined, message: 'the routing file is empty' })).toBe('routing.yml: the routing file is empty');
  });
});
