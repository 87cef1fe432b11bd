/** Group conversations in the client against a real server: the commands, the list, arrivals, unread, catch-up. */
import { describe, expect, test } from '@jest/globals';
import { expectNoDuplicates, respond, startHarness, texts, waitFor, waitForMessage, perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

describe('groups', () => {
  test('/group create opens #name; each member has it in the list; a line from each reaches the others with its sender', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    expect((await respond(alice, '/group create Team bob carol')).text).toBe('made the group #team with bob, carol');
    expect(alice.getState().openConversation).toBe('#team');
    for (const c of [bob, carol]) await waitFor(c, (s) => s.conversations.some((v) => v.with === '#team'), '#team listed');
    expect(bob.getState().responses.at(-1)?.text).toBe('alice made the group #team with you and carol.');

    await alice.submit('hello from alice');
    await waitForMessage(bob, '#team', 'hello from alice');
    await waitForMessage(carol, '#team', 'hello from alice');
    // Nothing was open on bob's screen: the group opened for it, as a pair conversation does.
    expect(bob.getState().openConversation).toBe('#team');
    await bob.submit('/msg #team hi from bob');
    await waitForMessage(alice, '#team', 'hi from bob');
    await waitForMessage(carol, '#team', 'hi from bob');
    // Carol is looking at a pair conversation: the group counts unread and the arrival shows in the preview.
    await carol.submit('/open alice');
    await waitFor(carol, (s) => s.openConversation === 'alice', 'alice open');
    await alice.submit('while you look elsewhere');
    const s = await waitFor(carol, (st) => st.conversations.find((v) => v.with === '#team')?.unread === 1, 'one unread in #team');
    expect(s.previews.at(-1)).toMatchObject({ conversation: '#team', from: 'alice', text: 'while you look elsewhere' });
    expect(s.messages['#team']!.map((m) => m.from)).toEqual(['alice', 'bob', 'alice']);
    expect(texts(s, '#team')).toEqual(['hello from alice', 'hi from bob', 'while you look elsewhere']);
    expectNoDuplicates(s);
    // Completion knows groups; plain text completes them after '#'.
    expect(carol.complete('/open #t')).toEqual(['/open #team ']);
    expect(carol.complete('/group members #')).toEqual(['/group members #team ']);
    expect(carol.complete('see #te')).toEqual(['see #team ']);
    expect(carol.getState().knownUsers).not.toContain('#team');
  });

  test('a member offline finds the group at the next login, unread, with the new line where she left off', async () => {
    const alice = await h.register('alice');
    const carol = await h.register('carol');
    await respond(alice, '/group create ops carol');
    await waitFor(carol, (s) => s.conversations.some((v) => v.with === '#ops'), '#ops listed');
    await carol.logout();
    await alice.submit('first while away');
    await alice.submit('second while away');
    await waitFor(alice, (s) => (s.messages['#ops'] ?? []).filter((m) => m.status === 'sent').length === 2, 'both sent');
    const back = await h.login('carol');
    const s = await waitFor(back, (st) => st.conversations.find((v) => v.with === '#ops')?.unread === 2, '#ops with 2 unread');
    expect(s.unreadTotal).toBe(2);
    // /inbox names the group beside the private messages, and leaves it unread.
    expect((await respond(back, '/inbox')).text).toBe('no private messages waiting\nin groups: #ops 2 unread (/open #ops)');
    // Looking at the broadcasts, so what arrives next stays unread (with nothing open it would open).
    await back.open('(broadcasts)');
    await alice.submit('/msg carol a private word');
    await waitForMessage(back, 'alice', 'a private word');
    await alice.submit('/group create dev carol');
    await alice.submit('/msg #dev dev line');
    await waitForMessage(back, '#dev', 'dev line');
    expect((await respond(back, '/inbox')).text).toMatch(
      /^inbox: 1 message\nalice \(1\):\n {2}\d\d:\d\d {2}a private word\nin groups: #dev 1 unread, #ops 2 unread \(\/open #ops\)$/,
    );
    expect(back.getState().conversations.find((v) => v.with === '#ops')?.unread).toBe(2);
    // Members are not held after a login: opening the group asks for them (its header names them).
    expect(back.getState().groupMembers?.['#ops']).toBeUndefined();
    await back.open('#ops');
    await waitFor(back, (st) => st.groupMembers?.['#ops']?.join() === 'alice,carol', '#ops members held');
    const open = await waitFor(back, (st) => texts(st, '#ops').length === 2, 'history loaded');
    expect(open.newMarker).toEqual({ conversation: '#ops', afterSeq: 0 });
    expect(open.conversations.find((v) => v.with === '#ops')?.unread).toBe(0);
  });

  test('invite, members, leave and the IRC habits /join, /invite, /part; refusals in one sentence', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await h.register('dan');
    await alice.submit('/join #crew');
    await waitFor(alice, (s) => s.openConversation === '#crew', '#crew open');
    expect((await respond(alice, '/invite bob')).text).toBe('added bob to #crew');
    await waitFor(bob, (s) => s.conversations.some((v) => v.with === '#crew'), 'bob has #crew');
    expect(bob.getState().responses.at(-1)?.text).toBe('alice added you to #crew (with alice).');
    expect((await respond(alice, '/group invite crew dan')).text).toBe('added dan to #crew');
    expect((await respond(alice, '/group members')).text).toBe('#crew: 3 members (● online; made by alice): ● alice (you), ● bob, ● dan');
    // What alice did herself is said once, by the command, not again by the event.
    expect(
      alice
        .getState()
        .responses.filter((r) => r.text.includes('dan to #crew'))
        .map((r) => r.text),
    ).toEqual(['added dan to #crew']);
    expect((await respond(bob, '/part #crew')).text).toBe('you left #crew; its messages are no longer shown here');
    expect(bob.getState().conversations.some((v) => v.with === '#crew')).toBe(false);
    await waitFor(alice, (s) => s.responses.at(-1)?.text === 'bob left #crew.', 'alice told bob left');
    // The members as last heard: alice's copy follows the joins and the leave; bob holds none now.
    expect(alice.getState().groupMembers?.['#crew']).toEqual(['alice', 'dan']);
    expect(bob.getState().groupMembers?.['#crew']).toBeUndefined();
    expect((await respond(bob, '/msg #crew back?')).text).toBe('You are not a member of #crew; a member can /group invite you.');
    expect((await respond(bob, '/group create crew')).text).toBe('The group name #crew is taken (names are never reused); choose another.');
    expect((await respond(bob, '/group create bad!name')).text).toMatch(/^"bad!name" is not a group name: A group name may only hold/);
    expect((await respond(bob, '/group create x nobody')).text).toBe('No such user: nobody. No group was made.');
    expect((await respond(bob, '/group leave')).text).toMatch(/No group is open; name one/);
    expect((await respond(bob, '/group frobnicate')).kind).toBe('usage');
    expect((await respond(bob, '/open #nowhere')).text).toBe('There is no group named #nowhere.');
  });
});
