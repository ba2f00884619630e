import type { WebClient } from '@slack/web-api';
import { NAME_MAX_AGE_MS, PersonNames } from '../../src/delivery/person-names';

/** A users.info that answers from `answers` (a name, or an error to throw) and counts its calls. */
function clientAnswering(answers: Map<string, () => { display?: string; real?: string; handle?: string }>): { client: WebClient; calls: string[] } {
  const calls: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(user);
        const answer = answers.get(user);
        if (!answer) throw new Error('An API error occurred: user_not_found');
        const { display, real, handle } = answer();
        return { ok: true, user: { id: user, name: handle, real_name: real, profile: { display_name: display ?? '' } } };
      },
    },
  } as unknown as WebClient;
  return { client, calls };
}

test('a name is the display name, else the real name, else the handle, read once an hour', async () => {
  let now = 0;
  const { client, calls } = clientAnswering(
    new Map([
      ['U1', () => ({ display: 'Ana', real: 'Ana Lopez', handle: 'ana' })],
      ['U2', () => ({ real: 'Bea Kim', handle: 'bea' })],
      ['U3', () => ({ handle: 'cal' })],
    ]),
  );
  const names = new PersonNames(client, () => now);
  expect(await names.namesOf(['U1', 'U2', 'U3', 'U1'])).toEqual(new Map([['U1', 'Ana'], ['U2', 'Bea Kim'], ['U3', 'cal']]));
  expect(calls).toEqual(['U1', 'U2', 'U3']);
  now = NAME_MAX_AGE_MS - 1;
  await names.nameOf('U1');
  expect(calls).toHaveLength(3);
  now = NAME_MAX_AGE_MS;
  await names.nameOf('U1');
  expect(calls).toHaveLength(4);
});

test('a person Slack does not answer for has no name (they are mentioned instead); one known before keeps theirs', async () => {
  let failing = false;
  const { client } = clientAnswering(
    new Map([
      [
        'U1',
        () => {
          if (failing) throw new Error('ratelimited');
          return { display: 'Ana' };
        },
      ],
    ]),
  );
  let now = 0;
  const names = new PersonNames(client, () => now);
  expect(await names.nameOf('U9')).toBeUndefined();
  expect(await names.nameOf('U1')).toBe('Ana');
  failing = true;
  now = NAME_MAX_AGE_MS;
  expect(await names.nameOf('U1')).toBe('Ana');
});
