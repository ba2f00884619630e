import { WebAPIPlatformError, type ModalView } from '@slack/web-api';
import { clientFor, closeStandIns, rejectionOf, startStandIn } from './stand-in-client';

afterEach(closeStandIns);

const users = [
  { id: 'U0ANA', name: 'ana', email: 'ana@example.com', realName: 'Ana Lima' },
  { id: 'U0BOB', name: 'bob' },
];

const modal = (blockCount = 1): ModalView => ({
  type: 'modal',
  callback_id: 'flag_moment',
  title: { type: 'plain_text', text: 'Flag a moment' },
  submit: { type: 'plain_text', text: 'Flag' },
  blocks: Array.from({ length: blockCount }, () => ({ type: 'divider' })),
});

describe('SlackStandIn directory and views', () => {
  it('finds users by email and id, shaped like Slack user objects', async () => {
    const standIn = await startStandIn({ users });
    const client = clientFor(standIn);

    const byEmail = await client.users.lookupByEmail({ email: 'ANA@example.com' });
    const byId = await client.users.info({ user: 'U0BOB' });
    const noEmail = await rejectionOf(client.users.lookupByEmail({ email: 'nobody@example.com' }));
    const noUser = await rejectionOf(client.users.info({ user: 'U0NOBODY' }));

    expect(byEmail.user).toMatchObject({
      id: 'U0ANA',
      name: 'ana',
      real_name: 'Ana Lima',
      profile: { email: 'ana@example.com', real_name: 'Ana Lima', display_name: 'ana' },
    });
    expect(byEmail.user?.tz).toEqual(expect.any(String));
    expect(byId.user).toMatchObject({ id: 'U0BOB', real_name: 'bob', is_bot: false });
    expect((noEmail as WebAPIPlatformError).data.error).toBe('users_not_found');
    expect((noUser as WebAPIPlatformError).data.error).toBe('user_not_found');
  });

  it('finds users added after start', async () => {
    const standIn = await startStandIn();
    standIn.addUser({ id: 'U0NEW', name: 'new', email: 'new@example.com' });

    const found = await clientFor(standIn).users.lookupByEmail({ email: 'new@example.com' });

    expect(found.user?.id).toBe('U0NEW');
  });

  it('lists user group members and answers no_such_subteam for an unknown group', async () => {
    const standIn = await startStandIn({ usergroups: { S0LEGAL: ['U0ANA', 'U0BOB'] } });
    const client = clientFor(standIn);

    const legal = await client.usergroups.users.list({ usergroup: 'S0LEGAL' });
    standIn.setUsergroup('S0COMMS', ['U0CAT']);
    const comms = await client.usergroups.users.list({ usergroup: 'S0COMMS' });
    const unknown = await rejectionOf(client.usergroups.users.list({ usergroup: 'S0NONE' }));

    expect(legal.users).toEqual(['U0ANA', 'U0BOB']);
    expect(comms.users).toEqual(['U0CAT']);
    expect((unknown as WebAPIPlatformError).data.error).toBe('no_such_subteam');
  });

  it('opens, updates and lists a modal, and refuses a second use of the same trigger', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);

    const opened = await client.views.open({ trigger_id: 'trig-1', view: modal() });
    const id = opened.view?.id ?? '';
    await client.views.update({ view_id: id, hash: opened.view?.hash ?? '', view: modal(2) });
    const reused = await rejectionOf(client.views.open({ trigger_id: 'trig-1', view: modal() }));

    expect(id).toMatch(/^V/);
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'flag_moment', hash: expect.any(String) });
    expect(standIn.openedViews()).toEqual([{ triggerId: 'trig-1', id, view: expect.objectContaining({ type: 'modal' }) }]);
    expect(standIn.openedViews()[0]?.view.blocks).toHaveLength(2);
    expect((reused as WebAPIPlatformError).data.error).toBe('exchanged_trigger_id');
  });

  it('refuses a view with more than 100 blocks or a title over 24 characters with invalid_arguments', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    const longTitle = { ...modal(), title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };

    const tooMany = await rejectionOf(client.views.open({ trigger_id: 'trig-1', view: modal(101) }));
    const titled = await rejectionOf(client.views.open({ trigger_id: 'trig-2', view: longTitle }));

    expect((tooMany as WebAPIPlatformError).data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] },
    });
    expect((titled as WebAPIPlatformError).data.error).toBe('invalid_arguments');
    expect(standIn.openedViews()).toEqual([]);
  });

  it('keeps the last Home view published for each user', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    const home = (text: string) => ({ type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

    await client.views.publish({ user_id: 'U0ANA', view: home('first') });
    await client.views.publish({ user_id: 'U0ANA', view: home('Waiting for you: 2') });

    expect(JSON.stringify(standIn.homeView('U0ANA'))).toContain('Waiting for you: 2');
    expect(standIn.homeView('U0BOB')).toBeUndefined();
  });

  it('resolves waitFor once the condition holds', async () => {
    const standIn = await startStandIn();
    setTimeout(() => void clientFor(standIn).chat.postMessage({ channel: 'C0REVIEW', text: 'x' }), 30);

    await standIn.waitFor(() => standIn.messages('C0REVIEW').length === 1, 2000, 'a card in C0REVIEW');

    expect(standIn.messages('C0REVIEW')).toHaveLength(1);
  });

  it('rejects waitFor on timeout with a message naming what it waited for', async () => {
    const standIn = await startStandIn();
    await clientFor(standIn).auth.test();
    const started = Date.now();

    const failure = await rejectionOf(standIn.waitFor(() => false, 80, 'a card in C0REVIEW'));

    expect(failure.message).toMatch(/^Timed out after 80 ms waiting for a card in C0REVIEW; .*auth\.test x1/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });
});
