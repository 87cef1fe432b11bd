import stringWidth from 'string-width';
import { focusedPane, inputText, KEY, makeState, msg, msgs, setup, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

describe('layout', () => {
  test.each([
    [80, 24],
    [100, 36],
    [60, 16],
  ])('fills %ix%i exactly, one row short of the terminal, every row the full width', async (columns, rows) => {
    h = await setup(makeState({ messages: { bob: msgs(200) } }), { columns, rows });
    const lines = h.lines();
    expect(lines).toHaveLength(rows - 1);
    for (const line of lines.slice(0, -1)) expect(stringWidth(line)).toBe(columns);
    expect(lines[lines.length - 1]).toContain('alice @ 127.0.0.1:4000 · connected · 2 unread · F1 help');
  });

  test('a terminal smaller than the minimum gets a clear message, not broken panes', async () => {
    h = await setup(makeState(), { columns: 50, rows: 12 });
    const frame = h.frame();
    expect(frame).toContain('Terminal too small: 50x12');
    expect(frame).toContain('at least 60x16');
    expect(h.lines().length).toBeLessThanOrEqual(11);
    expect(frame).not.toContain('Conversations');
  });
});

describe('focus', () => {
  test('F2/F3/F4 and Alt+1..4 jump to panes, Esc returns to the input', async () => {
    h = await setup();
    expect(focusedPane(h.frame())).toBe('input');
    await h.press(KEY.f2);
    await h.until((f) => focusedPane(f) === 'conversations');
    await h.press(KEY.f3);
    await h.until((f) => focusedPane(f) === 'messages');
    await h.press(KEY.f4);
    await h.until((f) => focusedPane(f) === 'responses');
    await h.press(KEY.esc);
    await h.until((f) => focusedPane(f) === 'input');
    await h.press(KEY.f2Alt); // the rxvt spelling of F2
    await h.until((f) => focusedPane(f) === 'conversations');
    await h.press(KEY.alt('2'));
    await h.until((f) => focusedPane(f) === 'messages');
    await h.press(KEY.alt('4'));
    await h.until((f) => focusedPane(f) === 'input');
  });

  test('Tab and Shift+Tab cycle the panes while the input is empty', async () => {
    h = await setup();
    await h.press(KEY.tab);
    await h.until((f) => focusedPane(f) === 'conversations');
    await h.press(KEY.tab);
    await h.until((f) => focusedPane(f) === 'messages');
    await h.press(KEY.shiftTab, KEY.shiftTab);
    await h.until((f) => focusedPane(f) === 'input');
  });

  test('typing in another pane goes to the input line', async () => {
    h = await setup();
    await h.press(KEY.f3, 'x');
    await h.until((f) => focusedPane(f) === 'input' && inputText(f).includes('› x'));
  });
});

describe('conversation list', () => {
  test('Up/Down move the selection and Enter opens it', async () => {
    h = await setup();
    await h.press(KEY.f2, KEY.down, KEY.enter);
    await h.until(() => h!.client.opened.length === 1);
    expect(h.client.opened).toEqual(['carol']);
    await h.until((f) => f.includes('carol ─') || f.includes('carol ○'));
    expect(focusedPane(h.frame())).toBe('input');
  });

  test('the selection stays on its conversation when the list reorders', async () => {
    h = await setup();
    await h.press(KEY.f2);
    await h.until((f) => focusedPane(f) === 'conversations');
    h.client.set({ conversations: [{ with: 'zed', unread: 1, online: false, lastAt: 2 }, ...h.client.state.conversations] });
    await h.until((f) => f.includes('zed'));
    await h.press(KEY.down, KEY.enter); // bob -> carol, wherever they now are
    await h.until(() => h!.client.opened.length === 1);
    expect(h.client.opened).toEqual(['carol']);
  });

  test('unread counts, online marks and the broadcasts entry', async () => {
    h = await setup(makeState({ openConversation: null }));
    const lines = h.lines();
    expect(lines[1]).toMatch(/│ ● bob +2│/);
    expect(lines[2]).toMatch(/│ {3}carol +│/);
    expect(lines[3]).toContain('(broadcasts)');
  });

  test('while the connection is down presence is unknown: a grey hollow mark for everyone, none green; back to real marks after', async () => {
    h = await setup(makeState());
    expect(h.lines()[0]).toContain('bob ●');
    // What the client's state is while reconnecting: nobody online, presence not known.
    h.client.set({
      connection: 'reconnecting',
      reconnectAt: Date.now() + 2000,
      presenceKnown: false,
      online: [],
      conversations: h.client.state.conversations.map((c) => ({ ...c, online: false })),
    });
    const lines = (await h.until((f) => f.includes('│▸◌ bob'))).split('\n');
    expect(lines[1]).toMatch(/│▸◌ bob +2│/);
    expect(lines[2]).toMatch(/│ ◌ carol +│/);
    expect(lines[3]).toMatch(/│ {3}\(broadcasts\)/);
    expect(lines.join('\n')).not.toContain('●');
    // The open conversation's title says unknown too.
    expect(lines[0]).toContain('bob ◌');
    h.client.set({ connection: 'connected', reconnectAt: null, presenceKnown: true, online: ['bob'] });
    const back = (await h.until((f) => f.includes('│▸● bob'))).split('\n');
    expect(back[2]).toMatch(/│ {3}carol +│/);
    expect(back[0]).toContain('bob ●');
  });

  test('Alt+A and Ctrl+N open the next conversation with unread messages', async () => {
    h = await setup(
      makeState({
        openConversation: 'bob',
        conversations: [
          { with: 'bob', unread: 0, online: true, lastAt: 1 },
          { with: 'carol', unread: 0, online: false, lastAt: 1 },
          { with: 'dave', unread: 4, online: false, lastAt: 1 },
        ],
      }),
    );
    await h.press(KEY.alt('a'));
    await h.until(() => h!.client.opened.length === 1);
    expect(h.client.opened).toEqual(['dave']);
    await h.press(KEY.ctrl('n'));
    await h.until((f) => f.includes('no unread messages'));
  });
});

describe('messages pane', () => {
  const topRow = (frame: string) => frame.split('\n')[1];

  test('scrolls with PgUp/Home/End, and a scrolled view stays put on arrivals with "N new"', async () => {
    const state = makeState({ messages: { bob: msgs(100) } });
    h = await setup(state);
    expect(h.frame()).toContain('message number 99');
    await h.press(KEY.f3, KEY.pageUp);
    let frame = await h.until((f) => !f.includes('message number 99'));
    expect(frame).toContain('more ↓');
    const before = topRow(frame);

    const arrived = [...state.messages.bob, msg(100), msg(101), msg(102)];
    h.client.set({ messages: { bob: arrived } });
    frame = await h.until((f) => f.includes('3 new ↓'));
    expect(topRow(frame)).toBe(before);
    expect(frame).not.toContain('message number 102');

    await h.press(KEY.up);
    frame = await h.until((f) => topRow(f) !== before);
    expect(frame).toContain('3 new ↓');

    await h.press(KEY.end);
    frame = await h.until((f) => f.includes('message number 102'));
    expect(frame).not.toContain('new ↓');

    await h.press(KEY.home);
    frame = await h.until((f) => f.includes('message number 0 '));
    expect(frame).toContain('Mon, 3 Jun 2024');
  });

  test('PgUp/PgDn in the input line scroll the messages', async () => {
    h = await setup(makeState({ messages: { bob: msgs(100) } }));
    await h.press('abc', KEY.pageUp);
    await h.until((f) => !f.includes('message number 99') && f.includes('more ↓'));
    expect(focusedPane(h.frame())).toBe('input');
    await h.press(KEY.pageDown, KEY.pageDown);
    await h.until((f) => f.includes('message number 99'));
    expect(inputText(h.frame())).toContain('abc');
    await h.press(KEY.pageUp, KEY.pageUp);
    await h.until((f) => !f.includes('message number 99'));
    await h.press(KEY.end); // the cursor is already at the end: jump to the newest
    await h.until((f) => f.includes('message number 99'));
  });

  test('pending and failed marks on own messages', async () => {
    h = await setup(
      makeState({
        messages: {
          bob: [msg(1, { text: 'on its way', status: 'pending' }), msg(3, { text: 'refused', status: 'failed', error: 'bob blocks you' })],
        },
      }),
    );
    const frame = h.frame();
    expect(frame).toMatch(/10:00 … alice +on its way/);
    expect(frame).toMatch(/10:00 ✗ alice +refused/);
    expect(frame).toContain('✗ not sent: bob blocks you');
  });

  test('wide characters wrap by display width and keep the borders aligned', async () => {
    const cjk = '漢字かな交じり文'.repeat(12);
    const emoji = '👍🎉🚀😀'.repeat(15);
    h = await setup(makeState({ messages: { bob: [msg(0, { text: cjk }), msg(2, { text: emoji }), msg(4, { text: 'after' })] } }));
    const lines = h.lines();
    for (const line of lines.slice(0, -1)) expect(stringWidth(line)).toBe(80);
    const body = lines.filter((l) => /[漢字かな交じり文]|\p{Extended_Pictographic}/u.test(l));
    expect(body.length).toBeGreaterThan(3); // wrapped onto several rows
    for (const line of body) expect(line.endsWith('│')).toBe(true);
    // Every character is there, none split or dropped.
    const text = body.map((l) => l.split('│')[3] ?? '').join('');
    expect(text.replace(/[^漢字かな交じり文]/g, '')).toBe(cjk);
    expect([...text.replace(/[^\p{Extended_Pictographic}]/gu, '')].join('')).toBe(emoji);
  });

  test('escape sequences, C1 controls, bidi and zero-width characters from the network are shown inert', async () => {
    const evil = 'red:\x1b[31mX\x1b[0m title:\x1b]0;pwned\x07 csi:\x9b2J bidi:\u202Eabc\u202C zw:a\u200Bb bell:\x07 del:\x7f';
    h = await setup(
      makeState({
        conversations: [{ with: 'b\x1b[2Job', unread: 1, online: true, lastAt: 1 }],
        openConversation: 'bob',
        messages: { bob: [msg(0, { text: evil, from: 'bo\x1b[5mb' })] },
        responses: [{ id: 1, at: 0, kind: 'error', text: 'oops \x1b[?1049l\u2066x' }],
      }),
      { columns: 100, rows: 30 },
    );
    const frame = h.frame();
    // Nothing raw from the network reaches the terminal.
    expect(frame).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]/);
    expect(frame).toContain('red:␛[31mX␛[0m');
    expect(frame).toContain('title:␛]0;pwned^G');
    expect(frame).toContain('csi:\\x9B2J');
    expect(frame).toContain('bidi:\\u202Eabc\\u202C');
    expect(frame).toContain('zw:a\\u200Bb');
    expect(frame).toContain('del:^?');
    expect(frame).toContain('b␛[2Job');
    expect(frame).toContain('oops ␛[?1049l\\u2066x');
  });
});

describe('responses pane', () => {
  test('scrolls when focused and keeps its place as responses arrive', async () => {
    const responses = Array.from({ length: 30 }, (_, i) => ({ id: i, at: 0, kind: 'info' as const, text: `reply ${i}` }));
    h = await setup(makeState({ responses }));
    expect(h.frame()).toContain('reply 29');
    await h.press(KEY.f4, KEY.pageUp);
    await h.until((f) => !f.includes('reply 29') && f.includes('more ↓'));
    h.client.set({ responses: [...responses, { id: 30, at: 0, kind: 'error', text: 'reply 30' }] });
    await h.until((f) => f.includes('1 new ↓'));
    await h.press(KEY.end);
    await h.until((f) => f.includes('reply 30'));
  });
});

describe('input line', () => {
  test('Enter submits; Up/Down recall earlier lines and keep the half-typed one', async () => {
    h = await setup();
    await h.press('first', KEY.enter);
    await h.press('second', KEY.enter);
    await h.until(() => h!.client.submitted.length === 2);
    expect(h.client.submitted).toEqual(['first', 'second']);
    await h.press('half');
    await h.until((f) => inputText(f).endsWith('› half'));
    await h.press(KEY.up);
    await h.until((f) => inputText(f).endsWith('› second'));
    await h.press(KEY.up);
    await h.until((f) => inputText(f).endsWith('› first'));
    await h.press(KEY.up); // stays at the oldest
    await h.press(KEY.down);
    await h.until((f) => inputText(f).endsWith('› second'));
    await h.press(KEY.down);
    await h.until((f) => inputText(f).endsWith('› half'));
  });

  test('editing keys: left, backspace, Ctrl+A, Ctrl+U', async () => {
    h = await setup();
    await h.press('helo', KEY.left, 'l');
    await h.until((f) => inputText(f).endsWith('› hello'));
    await h.press(KEY.ctrl('a'), 'X', KEY.backspace);
    await h.until((f) => inputText(f).endsWith('› hello'));
    await h.press(KEY.ctrl('e'), KEY.ctrl('u'));
    await h.until((f) => inputText(f).endsWith('›'));
  });

  test('Tab completes via actions.complete and cycles through candidates', async () => {
    h = await setup();
    h.client.completions['/ms'] = ['/msg '];
    h.client.completions['/msg b'] = ['/msg bob ', '/msg bobby '];
    await h.press('/ms', KEY.tab);
    await h.until((f) => inputText(f).endsWith('› /msg'));
    await h.press('b', KEY.tab);
    let frame = await h.until((f) => inputText(f).endsWith('› /msg bob'));
    expect(frame).toContain('[bob] bobby');
    await h.press(KEY.tab);
    frame = await h.until((f) => inputText(f).endsWith('› /msg bobby'));
    await h.press(KEY.tab);
    await h.until((f) => inputText(f).endsWith('› /msg bob'));
    await h.press('hi', KEY.enter);
    await h.until(() => h!.client.submitted.length === 1);
    expect(h.client.submitted).toEqual(['/msg bob hi']);
    expect(focusedPane(h.frame())).toBe('input');
  });

  test('Tab with nothing held asks the server for names; they complete when they come, "no completions" when none do', async () => {
    h = await setup();
    h.client.lookupAdds = { '/msg zo': ['/msg zoe ', '/msg zora '] };
    await h.press('/msg zo', KEY.tab);
    const frame = await h.until((f) => inputText(f).endsWith('› /msg zoe'));
    expect(frame).toContain('[zoe] zora');
    expect(h.client.lookedUp).toEqual(['/msg zo']);
    await h.press(KEY.tab);
    await h.until((f) => inputText(f).endsWith('› /msg zora'));
    await h.press(KEY.ctrl('u'));
    h.client.lookupAdds = null;
    await h.press('/msg qq', KEY.tab);
    await h.until((f) => f.includes('no completions'));
    expect(inputText(h.frame())).toMatch(/› \/msg qq$/);
  });

  test('a half-typed line survives 50 arrivals', async () => {
    h = await setup();
    await h.press('/msg carol half typed');
    await h.until((f) => inputText(f).endsWith('/msg carol half typed'));
    let messages = h.client.state.messages.bob;
    for (let i = 0; i < 50; i++) {
      messages = [...messages, msg(i * 2, { text: `arrival ${i}` })];
      h.client.set({
        messages: { bob: messages },
        responses: [...h.client.state.responses, { id: i, at: 0, kind: 'notice', text: `notice ${i}` }],
        unreadTotal: i,
      });
    }
    const frame = await h.until((f) => f.includes('arrival 49') && f.includes('notice 49'));
    expect(inputText(frame)).toContain('› /msg carol half typed');
    await h.press(' still', KEY.enter);
    await h.until(() => h!.client.submitted.length === 1);
    expect(h.client.submitted).toEqual(['/msg carol half typed still']);
  });

  test('a multi-line paste asks first: Enter sends each line, Esc cancels, J joins', async () => {
    h = await setup();
    await h.press('\x1b[200~one\ntwo\n\nthree\n\x1b[201~');
    await h.until((f) => f.includes('Paste of 3 lines: Enter sends 3 messages'));
    expect(h.client.submitted).toEqual([]);
    await h.press(KEY.esc);
    await h.until((f) => !f.includes('Paste of'));
    expect(h.client.submitted).toEqual([]);

    await h.press('\x1b[200~one\r\ntwo\x1b[201~', 'j');
    await h.until((f) => inputText(f).endsWith('› one two'));
    expect(h.client.submitted).toEqual([]);
    await h.press(KEY.ctrl('u'));

    await h.press('\x1b[200~a\nb\x1b[201~');
    await h.until((f) => f.includes('Paste of 2 lines'));
    await h.press(KEY.enter);
    await h.until(() => h!.client.submitted.length === 2);
    expect(h.client.submitted).toEqual(['a', 'b']);
  });

  test('an unbracketed run of lines ending mid-line (a paste without bracketed paste) also asks', async () => {
    h = await setup();
    await h.press('x\ry\rz');
    await h.until((f) => f.includes('Paste of 3 lines'));
    expect(h.client.submitted).toEqual([]);
  });

  test('lines typed faster than they are read are each submitted, none lost', async () => {
    h = await setup();
    await h.press('d1\rd2\r', 'd3\r', 'd4\rd5\r');
    await h.until(() => h!.client.submitted.length === 5);
    expect(h.client.submitted).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
  });

  test('keys typed while a paste waits run after the decision', async () => {
    h = await setup();
    await h.press('\x1b[200~p1\np2\x1b[201~', 'after');
    await h.until((f) => f.includes('Paste of 2 lines'));
    await h.press(KEY.enter);
    await h.until((f) => inputText(f).endsWith('› after'));
    expect(h.client.submitted).toEqual(['p1', 'p2']);
  });

  test('lines go to the client in the order entered: a paste sent with Enter, then a line typed after it (the client runs each after the one before)', async () => {
    h = await setup();
    await h.press('\x1b[200~p1\np2\x1b[201~');
    await h.until((f) => f.includes('Paste of 2 lines'));
    await h.press(KEY.enter, 'typed after');
    await h.until((f) => inputText(f).endsWith('› typed after'));
    await h.press(KEY.enter);
    await h.until(() => h!.client.submitted.length === 3);
    expect(h.client.submitted).toEqual(['p1', 'p2', 'typed after']);
  });

  test('/quit and Ctrl+C quit', async () => {
    h = await setup();
    await h.press(KEY.ctrl('c'));
    await h.until(() => h!.quits === 1);
    await h.press('/quit', KEY.enter);
    await h.until(() => h!.quits === 2);
    expect(h.client.submitted).toEqual(['/quit']);
  });

  test('Ctrl+C with a line typed clears it first; with messages not sent yet, quitting asks', async () => {
    h = await setup();
    await h.press('half typed', KEY.ctrl('c'));
    await h.until((f) => /› *$/.test(inputText(f)) && f.includes('line cleared; Up brings it back'));
    expect(h.quits).toBe(0);
    await h.press(KEY.up);
    await h.until((f) => inputText(f).endsWith('› half typed'));
    h.client.unsentNow = { unsent: 2, kept: true };
    await h.press(KEY.ctrl('u'), KEY.ctrl('c'));
    await h.until((f) => f.includes('2 unsent messages go out at your next login. Enter: quit · Esc: stay'));
    await h.press(KEY.esc);
    await h.until((f) => !f.includes('unsent messages'));
    expect(h.quits).toBe(0);
    await h.press('/quit', KEY.enter);
    await h.until((f) => f.includes('2 unsent messages'));
    expect(h.client.submitted).toEqual([]);
    await h.press(KEY.enter);
    await h.until(() => h!.quits === 1);
    expect(h.client.submitted).toEqual(['/quit']);
  });
});

describe('idle', () => {
  test('every key tells the client the person is here; a coming idle logout counts down in the status bar', async () => {
    h = await setup();
    await h.press('x', KEY.left);
    expect(h.client.activeCalls).toBe(2);
    h.client.set({ idleLogoutAt: Date.now() + 30_000 });
    await h.until((f) => /idle: logout in (30|29) s/.test(f));
    h.client.set({ idleLogoutAt: null });
    await h.until((f) => !f.includes('idle: logout'));
  });
});

describe('status bar', () => {
  test('shows the connection state and its detail', async () => {
    h = await setup();
    h.client.set({ connection: 'reconnecting', connectionDetail: 'retrying in 4 s', unreadTotal: 0 });
    await h.until((f) => f.includes('alice @ 127.0.0.1:4000 · reconnecting (retrying in 4 s) · 0 unread · F1 help'));
  });

  test('waiting to reconnect: a countdown that moves each second, and the key to retry now', async () => {
    h = await setup(makeState(), { columns: 120, rows: 36 });
    h.client.set({ connection: 'reconnecting', connectionDetail: 'server lost', reconnectAt: Date.now() + 2500, unreadTotal: 0 });
    await h.until((f) => f.includes('alice @ 127.0.0.1:4000 · reconnecting in 3 s (server lost) · Ctrl+R: retry now · 0 unread · F1 help'));
    // The clock moves it on by itself (no new state from the client).
    await h.until((f) => f.includes('reconnecting in 2 s (server lost)'), 2000);
    await h.press(KEY.ctrl('r'));
    expect(h.client.retries).toBe(1);
    await h.until((f) => f.includes('· retried now'));
    // An attempt under way: no countdown, no key hint.
    h.client.set({ connectionDetail: 'server lost; trying now', reconnectAt: null });
    const frame = await h.until((f) => f.includes('reconnecting (server lost; trying now) · 0 unread · F1 help · retried now'));
    expect(frame).not.toContain('retry now');
  });

  test('Ctrl+R while an attempt is under way, or while connected, says so', async () => {
    h = await setup();
    await h.press(KEY.ctrl('r'));
    await h.until((f) => f.includes('connected: nothing to retry'));
    expect(h.client.retries).toBe(0);
    h.client.retryWaiting = false;
    h.client.set({ connection: 'reconnecting', connectionDetail: 'server lost; trying now', reconnectAt: null });
    await h.until((f) => f.includes('reconnecting'));
    await h.press(KEY.ctrl('r'));
    await h.until((f) => f.includes('reconnecting · 2 unread · already trying to reconnect'));
    expect(h.client.retries).toBe(1);
  });

  test('at 80 columns the countdown and the retry key stay; the F1 hint and the detail give way', async () => {
    h = await setup(makeState(), { columns: 80, rows: 24 });
    h.client.set({ connection: 'reconnecting', connectionDetail: 'server lost', reconnectAt: Date.now() + 1500, unreadTotal: 0 });
    const frame = await h.until((f) => f.includes('reconnecting in 2 s'));
    expect(frame.split('\n').at(-1)).toMatch(/^ alice @ 127\.0\.0\.1:4000 · reconnecting in 2 s · Ctrl\+R: retry now · 0 unread *$/);
    // A flash takes the hint's room for its 4 s; the detail does not come back in its place.
    await h.press(KEY.ctrl('r'));
    const flashed = await h.until((f) => f.includes('retried now'));
    expect(flashed.split('\n').at(-1)).toMatch(/^ alice @ 127\.0\.0\.1:4000 · reconnecting in \d s · 0 unread · retried now *$/);
  });

  test('on a narrow terminal the F1 hint, then the end of the detail give way; the unread count stays', async () => {
    h = await setup(makeState(), { columns: 60, rows: 16 });
    h.client.set({ connection: 'reconnecting', connectionDetail: 'server lost; retrying (attempt 12) in 30 s', unreadTotal: 3 });
    const frame = await h.until((f) => f.includes('reconnecting'));
    expect(frame.split('\n').at(-1)).toMatch(/^ alice @ 127\.0\.0\.1:4000 · reconnecting \(server l\S*… · 3 unread *$/);
  });
});
