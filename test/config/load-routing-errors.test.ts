import { parseRouting } from '../../src/config/load-routing';
import { errorsOf, HEAD, routingOf, topicsErrors, yaml } from './routing-fixtures';

/** Every mistake the routing file can hold is reported with its line and how to fix it. */
describe('parseRouting with mistakes', () => {
  describe('with bad defaults', () => {
    const rest = ['roles:', '  leads: { members: [U0LEAD] }', 'topics:', '  - { name: default, channel: C0T, require: { leads: 1 } }'];

    it.each([
      ['channel: general', 'channel "general" is not a Slack channel ID (C… or G…): in Slack, open the channel\'s details and copy the Channel ID shown at the bottom'],
      ['decide_within: 30', 'decide_within needs a unit (s, m or h): write e.g. 30m or 30s, got 30'],
      ['decide_within: 30 minutes', 'decide_within must be a duration such as 90s, 30m, 2h or 1h30m, got "30 minutes"'],
      ['decide_within: 0m', 'decide_within must be longer than zero, got "0m"'],
      ['decide_within: 2400000000h', 'decide_within must be at most 30 days (720h), got "2400000000h"'],
      ['remind_at: 0.5', 'remind_at must be a percentage of decide_within from 1% to 99%, such as 50%, got 0.5'],
      ['remind_at: 100%', 'remind_at must be a percentage of decide_within from 1% to 99%, such as 50%, got "100%"'],
      ['remind_at: 0%', 'remind_at must be a percentage of decide_within from 1% to 99%, such as 50%, got "0%"'],
      ['escalate_to: leads', 'escalate_to must be a list of role names, in tier order, e.g. [leads] (or [] for none), got "leads"'],
      ['escalate_to: [lead]', 'unknown role "lead" in escalate_to (roles are: leads)'],
      ['self_approval: yes', 'self_approval must be true or false, got "yes"'],
      ['decide_whithin: 5m', 'unknown key "decide_whithin" in defaults (allowed: channel, decide_within, remind_at, escalate_to, self_approval)'],
    ])('reports "%s" on its line', (line, message) => {
      expect(errorsOf(yaml('defaults:', '  # line 2', `  ${line}`, ...rest))).toEqual([`routing.yml:3: ${message}`]);
    });

    it('reports a topic without a channel when defaults has none', () => {
      const noChannel = ['roles:', '  leads: { members: [U0LEAD] }', 'topics:', '  - { name: default, require: { leads: 1 } }'];
      expect(errorsOf(yaml('defaults:', '  decide_within: 5m', ...noChannel))).toEqual([
        'routing.yml:6: topic "default" has no channel and defaults has none: add "channel: C…" to the topic or to defaults',
      ]);
    });
  });

  describe('with bad roles', () => {
    function rolesErrors(...roleLines: string[]): string[] {
      return errorsOf(yaml('defaults: { channel: C0R }', 'roles:', '  brand: { members: [U0AAA] }', ...roleLines, 'topics:', '  - { name: default, require: { brand: 1 } }'));
    }

    it('names an unknown key in a role', () => {
      expect(rolesErrors('  legal: { member: [U0BBB] }')).toEqual([
        'routing.yml:4: unknown key "member" in role "legal" (allowed: members, usergroup)',
        'routing.yml:4: role "legal" has no reviewers: add members (user IDs or emails) or a usergroup (S…)',
      ]);
    });

    it('reports a role with nobody in it', () => {
      expect(rolesErrors('  legal: { members: [] }')).toEqual([
        'routing.yml:4: role "legal" has no reviewers: add members (user IDs or emails) or a usergroup (S…)',
      ]);
    });

    it('reports a role with nothing after its name', () => {
      expect(rolesErrors('  legal:')).toEqual([
        'routing.yml:4: role "legal" must be a mapping with members and/or usergroup, e.g. { members: [U0123ABCD] }, got nothing',
      ]);
    });

    it('reports a member that is neither a user ID nor an email', () => {
      expect(rolesErrors('  legal:', '    members:', '      - U0BBB', '      - "@bob"')).toEqual([
        'routing.yml:7: "@bob" in members of role "legal" is neither a Slack user ID (U… or W…) nor an email: copy the member ID from the person\'s Slack profile (⋮ → Copy member ID)',
      ]);
    });

    it('reports a user group ID listed among the members, saying where it goes', () => {
      expect(rolesErrors('  legal: { members: [U0BBB, S0LEGAL] }')).toEqual([
        'routing.yml:4: "S0LEGAL" in members of role "legal" is a user group ID, not a person: write it as "usergroup: S0LEGAL" instead',
      ]);
    });

    it('reports a person given as the user group, saying where people go', () => {
      expect(rolesErrors('  legal: { usergroup: U0BBB }', '  comms: { usergroup: [S0COMMS, cal@example.com] }')).toEqual([
        'routing.yml:4: usergroup "U0BBB" of role "legal" is a person, not a user group: list people under members, e.g. "members: [U0BBB]"',
        'routing.yml:5: usergroup "cal@example.com" of role "comms" is a person, not a user group: list people under members, e.g. "members: [cal@example.com]"',
      ]);
    });

    it('reports members written as one string rather than a list', () => {
      expect(rolesErrors('  legal: { members: U0BBB }')).toEqual([
        'routing.yml:4: members of role "legal" must be a list of user IDs or emails, e.g. [U0123ABCD, ana@example.com], got "U0BBB"',
      ]);
    });

    it('reports a user group that is not a group ID', () => {
      expect(rolesErrors('  legal: { usergroup: legal-team }')).toEqual([
        'routing.yml:4: usergroup "legal-team" of role "legal" is not a Slack user group ID: it starts with S (find it with usergroups.list, or in the group\'s link in Slack)',
      ]);
    });
  });

  describe('with bad topics', () => {
    it('refuses a topic name longer than the flag form can offer, and more topics than it can list', () => {
      const long = `campaign-${'x'.repeat(60)}`;
      expect(topicsErrors('  - { name: default, require: { brand: 1 } }', `  - { name: ${long}, require: { brand: 1 } }`)).toEqual([
        'routing.yml:10: topic name "campaign-xxxxxxxxxxx…" is 69 characters long: keep it to 60 (people type it as #name in Slack)',
      ]);
      const many = Array.from({ length: 101 }, (_, i) => `  - { name: ${i === 0 ? 'default' : `t${i}`}, require: { brand: 1 } }`);
      expect(topicsErrors(...many)).toEqual([
        "routing.yml:8: topics lists 101 topics: Slack's flag form can offer at most 100; merge some (a topic may have many keywords)",
      ]);
    });

    it('reports the unknown role in require, listing the known ones', () => {
      expect(topicsErrors('  - name: default', '    require: { lgal: 1 }')).toEqual([
        'routing.yml:10: unknown role "lgal" in require (roles are: brand, legal, comms, leads)',
      ]);
    });

    it.each([
      ['0', 'got 0'],
      ['1.5', 'got 1.5'],
      ['"1"', 'got "1"'],
    ])('refuses a require count of %s', (count, got) => {
      expect(topicsErrors('  - name: default', `    require: { brand: ${count} }`)).toEqual([
        `routing.yml:10: require count for "brand" must be a whole number of at least 1, ${got}`,
      ]);
    });

    it('refuses a count that the listed members can never reach', () => {
      expect(topicsErrors('  - name: default', '    require:', '      comms: 2')).toEqual([
        'routing.yml:11: topic "default" needs 2 approvals from "comms", which lists only 1 person: add members or lower the count',
      ]);
    });

    describe('whose required roles share people', () => {
      /** Lines 1-7; the topic under test requires on line 7, the default topic follows. */
      const shared = (comms: string, legal: string, require: string) =>
        errorsOf(
          yaml(
            'defaults: { channel: C0123REVIEW }', //         1
            'roles:', //                                      2
            `  comms: ${comms}`, //                           3
            `  legal: ${legal}`, //                           4
            'topics:', //                                     5
            '  - name: crisis', //                            6
            `    require: ${require}`, //                     7
            '  - { name: default, require: { comms: 1 } }', // 8
          ),
        );

      it('refuses two roles whose only member is the same person: one person cannot give both approvals', () => {
        expect(shared('{ members: [U0CAL] }', '{ members: [U0CAL] }', '{ comms: 1, legal: 1 }')).toEqual([
          'routing.yml:7: topic "crisis" needs 2 approvals from different people for "comms", "legal", but these roles list only 1 person between them: add members or lower the counts',
        ]);
      });

      it('refuses more approvals than the roles have people between them (legal 2 + comms 1: three, from two people)', () => {
        expect(shared('{ members: [U0CAL] }', '{ members: [U0ANA, U0CAL] }', '{ legal: 2, comms: 1 }')).toEqual([
          'routing.yml:7: topic "crisis" needs 3 approvals from different people for "legal", "comms", but these roles list only 2 people between them: add members or lower the counts',
        ]);
      });

      it('counts an email written in two cases as one person', () => {
        expect(shared('{ members: [Cal@Example.com] }', '{ members: [cal@example.com] }', '{ comms: 1, legal: 1 }')).toHaveLength(1);
      });

      it('leaves a role with a user group to the flag-time check: its size is only known at run time', () => {
        const text = yaml('defaults: { channel: C0123REVIEW }', 'roles:', '  comms: { members: [U0CAL] }', '  legal: { members: [U0CAL], usergroup: S0LEGAL }', 'topics:', '  - { name: default, require: { comms: 1, legal: 1 } }');
        expect(routingOf(parseRouting(text, 'routing.yml')).topics[0]?.require).toEqual({ comms: 1, legal: 1 });
      });
    });

    it('refuses an empty or missing require', () => {
      expect(topicsErrors('  - name: sports', '    require: {}', '  - name: default')).toEqual([
        'routing.yml:10: require of topic "sports" is empty: name at least one role that must approve, e.g. "require: { brand: 1 }"',
        'routing.yml:11: topic "default" has no require: add the roles that must approve and how many of each, e.g. "require: { brand: 1 }"',
      ]);
    });

    it('refuses a topic name that cannot be typed as #topic', () => {
      expect(topicsErrors('  - name: Crisis Comms', '    require: { brand: 1 }', '  - { name: default, require: { brand: 1 } }')).toEqual([
        'routing.yml:9: topic name "Crisis Comms" must be lower-case letters, digits, - and _ (people type it as #name in Slack)',
      ]);
    });

    it('refuses a topic without a name', () => {
      expect(topicsErrors('  - require: { brand: 1 }', '  - { name: default, require: { brand: 1 } }')).toEqual([
        'routing.yml:9: a topic has no name: add "name: …" (lower-case letters, digits, - and _)',
      ]);
    });

    it('refuses a repeated topic name, pointing at both', () => {
      expect(topicsErrors('  - { name: default, require: { brand: 1 } }', '  - { name: default, require: { legal: 1 } }')).toEqual([
        'routing.yml:10: topic name "default" is used twice (first on line 9): topic names must be unique',
      ]);
    });

    it('requires a topic named default', () => {
      expect(topicsErrors('  - { name: crisis, require: { brand: 1 } }')).toEqual([
        'routing.yml:8: no topic is named "default": add one; it is used when no other topic\'s keyword matches',
      ]);
    });

    it('refuses an empty topic list', () => {
      expect(errorsOf(yaml(...HEAD.slice(0, -1), 'topics: []'))).toEqual(['routing.yml:8: topics is empty: add at least a topic named "default"']);
    });

    it('refuses topics written as a mapping', () => {
      expect(errorsOf(yaml(...HEAD, '  default: { require: { brand: 1 } }'))).toEqual([
        'routing.yml:9: topics must be a list, each item starting with "- name: …", got a mapping',
      ]);
    });

    it('names an unknown key in a topic', () => {
      expect(topicsErrors('  - name: default', '    require: { brand: 1 }', '    keyword: [launch]')).toEqual([
        'routing.yml:11: unknown key "keyword" in topic "default" (allowed: name, keywords, require, channel, decide_within, remind_at, escalate_to, self_approval)',
      ]);
    });

    it('refuses keywords that are not text, or empty', () => {
      expect(topicsErrors('  - name: sports', '    keywords: [final, 2024, ""]', '    require: { brand: 1 }', '  - { name: default, require: { brand: 1 } }')).toEqual([
        'routing.yml:10: keyword 2024 in topic "sports" is not text: write keywords as words, quoting numbers ("2024")',
        'routing.yml:10: empty keyword in topic "sports": remove it (it would match every message)',
      ]);
    });

    it('checks the settings a topic overrides, on their own lines', () => {
      expect(
        topicsErrors('  - name: default', '    require: { brand: 1 }', '    channel: "#crisis"', '    decide_within: 10', '    escalate_to: [boss]'),
      ).toEqual([
        'routing.yml:11: channel "#crisis" is not a Slack channel ID (C… or G…): in Slack, open the channel\'s details and copy the Channel ID shown at the bottom',
        'routing.yml:12: decide_within needs a unit (s, m or h): write e.g. 10m or 10s, got 10',
        'routing.yml:13: unknown role "boss" in escalate_to (roles are: brand, legal, comms, leads)',
      ]);
    });
  });

  it('reports every problem in one pass, top to bottom', () => {
    const errors = errorsOf(
      yaml(
        'topics:', //                                         1
        '  - name: crisis', //                                2
        '    require: { legl: 1 }', //                        3
        'defaults:', //                                       4
        '  channel: C0123REVIEW', //                          5
        '  remind_at: 50', //                                 6
        'roles:', //                                          7
        '  legal: { usergroup: S0LEGAL, members: [bob] }', // 8
      ),
    );
    expect(errors.map((e) => e.split(':').slice(0, 2).join(':'))).toEqual(['routing.yml:1', 'routing.yml:3', 'routing.yml:6', 'routing.yml:8']);
  });
});
