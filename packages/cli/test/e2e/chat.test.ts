/**
 * End to end: the real `tui-chat connect` for alice, bob and carol in three real terminals (tmux,
 * 120x36) against a real `tui-chat serve`, typing and reading the screen as a person would. The
 * tests run in order and share the story: each step starts from the screens the last one left.
 */
import { describe, expect, test } from '@jest/globals';
import { headless, inverseColumns, register, saveScreen, stage, storySteps, type Term, PASSWORD, STEP_MS } from './terminal.js';

// Twelve lines alice sends while bob is in the middle of typing.
const CHATTER = [
  'are you around?',
  'the build is green again',
  'I merged the resize fix',
  'tmux tests are next',
  'can you review #42 later',
  'no rush, after lunch is fine',
  'oh and the demo moved',
  'it is at 5 now, not 4',
  'room 3B as usual',
  'bring the laptop with the dock',
  'carol joins too',
  'see you there',
];

let alice: Term;
let bob: Term;
let carol: Term;

const row = (screen: string, pattern: RegExp): string | undefined => screen.split('\n').find((l) => pattern.test(l));

const world = stage({
  ready: async ({ server }) => {
    // carol has an account but is not logged in.
    await register(server.port, 'carol', PASSWORD);
  },
});

describe('two users in two terminals', () => {
  const step = storySteps(test);

  step(
    'both register with --register and TUI_CHAT_PASSWORD; the status bar shows user @ host:port · connected',
    async () => {
      // One after the other, as two people would. (Started at the same instant, a client still busy
      // with its first frames can miss the other coming online: client core's loadOnline applies
      // its whoelse answer over a presence update that arrived in the same read.)
      alice = await world.tmux.loggedIn('alice', world.server.address, { user: 'alice', password: PASSWORD, register: true });
      bob = await world.tmux.connect('bob', world.server.address, { user: 'bob', password: PASSWORD, register: true });
      for (const [term, name] of [
        [alice, 'alice'],
        [bob, 'bob'],
      ] as const) {
        const screen = await term.waitFor(
          (s) => term.statusRow(s).startsWith(` ${name} @ ${world.server.address} · connected · 0 unread`),
          `${name}'s status bar to say connected`,
        );
        const lines = screen.split('\n');
        // The frame is rows - 1 tall (the last row stays blank) and exactly as wide as the terminal.
        expect(lines[0]).toMatch(/^┌─ Conversations ─+ F2 ─┐┌─ Messages ─+ F3 ─┐$/);
        expect([...lines[0]!].length).toBe(120);
        expect(lines[35]).toBe('');
        expect(term.inputRow(screen)).toMatch(/^║› +║$/);
      }
    },
    STEP_MS,
  );

  step(
    '/whoelse on alice lists bob in the responses pane',
    async () => {
      await alice.typeLine('/whoelse');
      await alice.waitFor(/│\d\d:\d\d online: bob +│/, '"online: bob" in the responses');
    },
    STEP_MS,
  );

  step(
    "/msg and /send arrive on bob: with nothing open, alice's conversation opens by itself, read; F2 and Enter move between conversations",
    async () => {
      await alice.typeLine('/msg bob hi bob, got a minute?');
      await alice.typeLine('/send bob it is about the demo');
      await alice.waitFor((s) => (s.match(/message to bob sent/g) ?? []).length === 2, 'two "message to bob sent" responses');
      // No key pressed on bob's side: both messages are on his screen, with time and sender.
      const screen = await bob.waitFor(
        (s) => /[│║]\d\d:\d\d +alice +it is about the demo +[│║]/.test(s),
        "alice's messages on bob's screen without a key",
      );
      expect(screen).toMatch(/┌─ alice ● ─+ F3 ─┐/);
      expect(screen).toMatch(/│\d\d:\d\d +alice +hi bob, got a minute\? +│/);
      await bob.waitFor((s) => bob.statusRow(s).includes('· 0 unread'), 'read as they came');
      // alice wrote them with nothing open: they are on her screen too.
      await alice.waitFor(/┌─ bob ● ─+ F3 ─┐/, "alice's conversation with bob open");

      // The keyboard: F2, Down, Enter opens (broadcasts); F2, Up, Enter goes back to alice.
      await bob.press('F2');
      await bob.waitFor(/^╔═ Conversations ═+ F2 ═╗/, 'the conversation list focused (double border)');
      await bob.press('Down', 'Enter');
      await bob.waitFor(/┌─ \(broadcasts\) ─+ F3 ─┐/, '(broadcasts) open');
      await bob.press('F2');
      await bob.waitFor(/^╔═ Conversations ═+ F2 ═╗/, 'the list focused again');
      await bob.press('Up', 'Enter');
      await bob.waitFor((s) => /┌─ alice ● ─+ F3 ─┐/.test(s) && /^║alice› +║$/.test(bob.inputRow(s)), 'alice open again, input focused');
    },
    STEP_MS,
  );

  step(
    'a half-typed line on bob stays exactly as it was, cursor included, while 12 messages arrive',
    async () => {
      const draft = 'sure, I will bring the';
      await bob.type(draft);
      await bob.press('Left', 'Left', 'Left');
      const cursorOn = (styled: string) => inverseColumns(styled.split('\n')[bob.inputRowIndex] ?? '');
      await bob.waitFor((s) => bob.inputText(s) === draft, "bob's draft in the input line");
      const cursorColumn = 1 + 'alice› '.length + draft.length - 3;
      const styledBefore = await bob.waitForStyled((st) => cursorOn(st)[0] === cursorColumn, 'the cursor three places left of the end');
      const inputBefore = bob.inputRow(await bob.screen());

      await alice.typeLine('/open bob');
      await alice.waitFor(/┌─ bob ● ─/, "alice's conversation with bob open");
      for (const line of CHATTER) await alice.typeLine(line);

      const screen = await bob.waitFor((s) => s.includes(CHATTER[CHATTER.length - 1]!), "the last message on bob's screen");
      // All twelve, in the order alice wrote them.
      const shown = screen
        .split('\n')
        .map((l) => CHATTER.findIndex((c) => new RegExp(`alice +${c.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&')} +│`).test(l)))
        .filter((i) => i !== -1);
      expect(shown).toEqual(CHATTER.map((_, i) => i));
      // The input line is untouched: same text, same cursor cell.
      expect(bob.inputRow(screen)).toBe(inputBefore);
      expect(bob.inputText(screen)).toBe(draft);
      expect(cursorOn(await bob.styledScreen())).toEqual(cursorOn(styledBefore));

      // bob finishes the line where he left it and sends it.
      await bob.press('End');
      await bob.typeLine(' dock');
      await alice.waitFor(/│\d\d:\d\d +bob +sure, I will bring the dock +│/, "bob's answer on alice's screen");
    },
    STEP_MS,
  );

  step(
    "/broadcast to everyone shows in bob's open conversation and in his (broadcasts); the old list syntax says who got it and whose inbox it waits in",
    async () => {
      await alice.typeLine('/broadcast hello all');
      await alice.waitFor(/broadcast to 1 user online/, 'the broadcast acknowledged');
      // bob reads alice's conversation: it shows there, inline, as it comes.
      await bob.waitFor(/│\d\d:\d\d +alice +\(broadcast\) hello all +│/, "the broadcast inline on bob's screen");
      await bob.typeLine('/open (broadcasts)');
      await bob.waitFor(/┌─ \(broadcasts\) ─+ F3 ─┐/, "bob's (broadcasts) open");
      await bob.waitFor(/│\d\d:\d\d +alice +hello all +│/, "the broadcast in bob's (broadcasts)");

      await alice.typeLine('/broadcast user bob carol message hi both, demo at 5');
      const screen = await alice.waitFor(
        /broadcast: bob has it now; it waits in carol's inbox/,
        'who got the list broadcast and whose inbox it waits in',
      );
      expect(row(screen, /broadcast: bob has/)).toMatch(/│\d\d:\d\d broadcast: bob has it now; it waits in carol's inbox +│/);
      // bob has (broadcasts) open, so the copy to him counts as unread in alice's conversation.
      await bob.waitFor(/[│║] ● alice +1[│║]/, "alice with 1 unread on bob's list");
    },
    STEP_MS,
  );

  step(
    '/wholast 5 lists who was online',
    async () => {
      await alice.typeLine('/wholast 5');
      const screen = await alice.waitFor(/online in the last 5 minutes: /, 'the /wholast answer');
      const names = /online in the last 5 minutes: ([a-z, ]+?) *│/.exec(screen)![1]!.split(', ');
      expect(names.sort()).toEqual(['bob', 'carol']);
    },
    STEP_MS,
  );

  step(
    'an unknown command and a bad argument are answered in the responses pane, and nothing is sent',
    async () => {
      await alice.typeLine('/frobnicate');
      await alice.waitFor(/There is no command \/frobnicate; \/help lists them\./, 'the unknown command answered');
      await alice.typeLine('/wholast abc');
      const screen = await alice.waitFor(/usage: \/wholast <minutes>/, 'the usage line for /wholast');
      expect(screen).toMatch(/│\d\d:\d\d Minutes must be a whole number from 1 to \d+, not "abc"\. +│/);
      // Nothing went to bob, and nothing is waiting to be sent on alice's side.
      expect(await bob.screen()).not.toMatch(/frobnicate|abc/);
      const messagesPane = screen.split('\n').slice(0, 23).join('\n');
      expect(messagesPane).not.toMatch(/frobnicate|wholast/);
    },
    STEP_MS,
  );

  step(
    'a message to carol, logged out, waits in her inbox; she connects and /inbox shows it',
    async () => {
      await alice.typeLine('/msg carol are you joining the demo?');
      await alice.waitFor(/carol is offline; it will wait in their inbox/, 'alice told carol is offline');
      saveScreen('chat-120x36.txt', await alice.screen());

      carol = await world.tmux.connect('carol', world.server.address, { user: 'carol', password: PASSWORD });
      // carol types /inbox as soon as anything shows, maybe while she is still being logged in:
      // what she typed waits for the chat screen.
      await carol.waitFor(/Log in to|F1 help/, 'the login or the chat screen');
      await carol.type('/inbox');
      await carol.press('Enter');
      const screen = await carol.waitFor(/inbox: 2 messages/, "carol's inbox");
      expect(carol.statusRow(screen)).toMatch(new RegExp(`^ carol @ ${world.server.address.replace(/\./g, '\\.')} · connected · `));
      expect(screen).toMatch(/│ +alice \(2\): +│/);
      expect(screen).toMatch(/│ +\d\d:\d\d {2}hi both, demo at 5 +│/);
      expect(screen).toMatch(/│ +\d\d:\d\d {2}are you joining the demo\? +│/);
      await carol.waitFor((s) => carol.statusRow(s).includes('· 0 unread'), "carol's inbox marked read");
    },
    STEP_MS,
  );

  step(
    'escape sequences, C1, bidi and zero-width characters in a message are shown inert by the real renderer',
    async () => {
      await bob.typeLine('/open alice');
      await bob.waitFor(/┌─ alice ● ─/, "bob's conversation with alice open");
      const titleBefore = await bob.format('#{pane_title}');
      const aliceTitleBefore = await alice.format('#{pane_title}');
      const evil = 'x\x1b[2J\x1b]0;pwned\x07 c1\x9b31m bidi\u202eabc zw\u200bx \x1b[31mred\x1b[0m end';
      const socket = await headless(world.server.port, { user: 'alice', password: PASSWORD });
      try {
        const reply = (await socket
          .timeout(15_000)
          .emitWithAck('message:send', { to: 'bob', text: evil, clientId: 'e2e-inject-0001' })) as {
          ok: boolean;
        };
        expect(reply.ok).toBe(true);
      } finally {
        socket.disconnect();
      }
      const screen = await bob.waitFor(/ end +│/, "the message on bob's screen");
      expect(row(screen, / end +│/)).toMatch(
        /│\d\d:\d\d +alice +x␛\[2J␛\]0;pwned\^G c1\\x9B31m bidi\\u202Eabc zw\\u200Bx ␛\[31mred␛\[0m end +│/,
      );
      // Not cleared: the earlier conversation and every pane are still there.
      expect(screen).toMatch(/│\d\d:\d\d +bob +sure, I will bring the dock +│/);
      expect(screen.split('\n')[0]).toMatch(/^┌─ Conversations/);
      expect(bob.statusRow(screen)).toMatch(/^ bob @ /);
      // Not retitled, not coloured.
      expect(await bob.format('#{pane_title}')).toBe(titleBefore);
      const styled = await bob.styledScreen();
      const styledRow = styled.split('\n').find((l) => l.includes('pwned'))!;
      expect(styledRow).not.toContain('\x1b[31mred');
      // alice's own terminal (her other session sent it) shows it inert too.
      await alice.waitFor(/x␛\[2J␛\]0;pwned\^G/, "the message inert on alice's screen");
      expect(await alice.format('#{pane_title}')).toBe(aliceTitleBefore);
    },
    STEP_MS,
  );

  step(
    '/quit leaves the alternate screen and gives the terminal back',
    async () => {
      expect(await bob.format('#{alternate_on}')).toBe('1');
      await bob.typeLine('/quit');
      const screen = await bob.waitFor(/^EXIT=0$/m, 'the client to exit with 0');
      expect(screen).not.toMatch(/Conversations|Responses|[┌╔║│]/);
      expect(await bob.format('#{alternate_on} #{cursor_flag}')).toBe('0 1');
      // alice sees bob go offline.
      await alice.waitFor(/┌─ bob ○ ─/, "bob shown offline on alice's screen");
    },
    STEP_MS,
  );
});
