/**
 * `kill -9` of the server, again and again, while several clients send a stream of messages. The
 * server is the real `tui-chat serve` in a child process, restarted each time on the same port and
 * database file; the clients are real ChatClients that reconnect and resend by themselves.
 * Afterwards: every acknowledged message is stored exactly once, each sender's order is kept, and
 * no client shows a message twice or misses one.
 */
import { expect, test } from '@jest/globals';
import { conversationId } from '@tui-chat/protocol';
import type { ChatClient, ClientState } from '@tui-chat/client';
import {
  faultClient,
  faultPlace,
  cleanUpAfterEach,
  loginClient,
  ServerProcess,
  shownTwice,
  storedMessages,
  waitFor,
  waitForAny,
} from './fixtures.js';

const USERS = ['ann', 'ben', 'cat', 'dan'];
/** Registered, then offline for the whole stream: what is acknowledged to her waits in her inbox. */
const OFFLINE = 'eve';
const PER_SENDER = 60;
const KILLS = 4;
/** Acknowledgements each server run gives before it is killed. */
const ACKS_PER_RUN = 20;
/** The pace of each sender while connected (a load generator's rate; nothing waits on it for correctness). */
const PACE_MS = 30;

const clients: ChatClient[] = [];
cleanUpAfterEach(clients);

/** Three of every four messages go to the other senders in turn, the fourth to the offline user. */
const recipientOf = (i: number, k: number): string => (k % 4 === 3 ? OFFLINE : USERS[(i + 1 + (k % 4)) % USERS.length]!);
const isWarmUp = (text: string): boolean => text.startsWith('hello from ');
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const pending = (s: ClientState): number =>
  Object.values(s.messages)
    .flat()
    .filter((m) => m.status === 'pending').length;

test(`kill -9 of the server ${KILLS} times mid-stream: every acknowledged message stored once, in order, shown once`, async () => {
  const started = Date.now();
  const { db, port, url } = await faultPlace();
  let server = await ServerProcess.start({ port, db });

  for (const [i, user] of USERS.entries()) clients[i] = await loginClient(faultClient(url), user, true);
  const eve = await loginClient(faultClient(url), OFFLINE, true);
  await eve.logout();
  eve.close();

  // Every pair talks once first, so each client knows all its conversations before the faults.
  for (const [i, user] of USERS.entries()) {
    for (const other of USERS.slice(i + 1)) await clients[i]!.submit(`/msg ${other} hello from ${user}`);
  }
  for (const [i, user] of USERS.entries()) {
    await waitFor(
      clients[i]!,
      (s) => USERS.every((o) => o === user || (s.messages[o] ?? []).some((m) => m.status === 'sent')),
      `${user} warm`,
    );
  }

  // What each sender has seen acknowledged (status 'sent' with a seq), by clientId.
  const confirmed = new Map<string, { user: string; text: string; seq: number; to: string }>();
  for (const [i, user] of USERS.entries()) {
    const note = (s: ClientState): void => {
      for (const [other, list] of Object.entries(s.messages)) {
        for (const m of list) {
          if (m.from === user && m.status === 'sent' && m.seq !== undefined && !confirmed.has(m.key)) {
            confirmed.set(m.key, { user, text: m.text, seq: m.seq, to: other });
          }
        }
      }
    };
    note(clients[i]!.getState());
    clients[i]!.subscribe(note);
  }

  // The stream: each sender writes PER_SENDER messages. Offline, a sender keeps typing into its
  // outbox, but stops at a few pending messages until the connection is back, so the stream
  // outlasts the kills.
  let producing = USERS.length;
  const streams = USERS.map(async (user, i) => {
    const c = clients[i]!;
    for (let k = 0; k < PER_SENDER; k++) {
      if (pending(c.getState()) >= 3) await waitFor(c, (s) => s.connection === 'connected' && pending(s) < 3, `${user} back`, 30_000);
      await c.submit(`/msg ${recipientOf(i, k)} ${user} ${k}`);
      await pause(PACE_MS);
    }
    producing--;
  });

  // The killer: each server run acknowledges ACKS_PER_RUN messages, then dies with SIGKILL.
  const kills: { storedUnacknowledged: number; midStream: boolean }[] = [];
  const ackedBeforeKill = new Set<string>();
  for (let k = 0; k < KILLS; k++) {
    const base = confirmed.size;
    await waitForAny(clients, () => confirmed.size >= base + ACKS_PER_RUN, `${ACKS_PER_RUN} acknowledgements`, 30_000);
    const midStream = producing > 0;
    for (const [id, c] of confirmed) if (!isWarmUp(c.text)) ackedBeforeKill.add(id);
    const exit = await server.signal('SIGKILL');
    expect(exit?.signal).toBe('SIGKILL');
    // Stored, but its sender had no acknowledgement yet: the resend after the restart must not store it again.
    const storedUnacknowledged = storedMessages(db).filter((r) => !confirmed.has(r.client_id)).length;
    kills.push({ storedUnacknowledged, midStream });
    server = await ServerProcess.start({ port, db });
  }

  await Promise.all(streams);
  // Settle: everyone connected, every outbox empty.
  for (const [i, user] of USERS.entries()) {
    await waitFor(clients[i]!, (s) => s.connection === 'connected' && pending(s) === 0, `${user} settled`, 30_000);
  }
  const rows = storedMessages(db);
  // And every client holds each of its conversations from seq 1 to the last, once.
  const lastSeq = new Map<string, number>();
  for (const r of rows) lastSeq.set(r.conversation, Math.max(lastSeq.get(r.conversation) ?? 0, r.seq));
  for (const [i, user] of USERS.entries()) {
    await waitFor(
      clients[i]!,
      (s) =>
        USERS.filter((o) => o !== user).every((o) => {
          const seqs = (s.messages[o] ?? []).flatMap((m) => (m.seq === undefined ? [] : [m.seq]));
          return seqs.length === lastSeq.get(conversationId(user, o));
        }),
      `${user} caught up`,
      30_000,
    );
  }

  // The offline user logs in after it all: her inbox holds what was acknowledged to her, once.
  const eve2 = await loginClient(faultClient(url), OFFLINE, false);
  clients.push(eve2);
  const toEve = [...confirmed.values()].filter((c) => c.to === OFFLINE);
  const eveUnread = Object.fromEntries(
    eve2
      .getState()
      .conversations.filter((v) => v.unread > 0)
      .map((v) => [v.with, v.unread]),
  );

  // Figures.
  const streamRows = rows.filter((r) => !isWarmUp(r.body));
  const byText = new Map<string, number>();
  for (const r of streamRows) byText.set(r.body, (byText.get(r.body) ?? 0) + 1);
  const storedIds = new Set(rows.map((r) => `${r.sender}/${r.client_id}`));
  const acknowledged = [...confirmed].filter(([, c]) => !isWarmUp(c.text));
  const lost = acknowledged.filter(([id, c]) => !storedIds.has(`${c.user}/${id}`));
  const duplicated = [...byText.values()].filter((n) => n > 1).length;
  const shownDouble = clients.flatMap((c) => shownTwice(c.getState()));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  console.log(
    [
      `kill -9 test: ${USERS.length} clients x ${PER_SENDER} messages (${toEve.length} to the offline ${OFFLINE}), ` +
        `${kills.length} kills (SIGKILL) mid-stream, ${seconds} s`,
      `  acknowledged ${acknowledged.length} (${ackedBeforeKill.size} before a kill), lost ${lost.length}, ` +
        `duplicated in the database ${duplicated}, shown twice by a client ${shownDouble.length}`,
      `  stored but not yet acknowledged at a kill (resent, stored once): ${kills.map((k) => k.storedUnacknowledged).join(' + ')}`,
      `  stored ${streamRows.length} of ${USERS.length * PER_SENDER} sent; ${OFFLINE}'s unread after the kills: ${JSON.stringify(eveUnread)}`,
    ].join('\n'),
  );

  expect(kills).toHaveLength(KILLS);
  expect(kills.every((k) => k.midStream)).toBe(true);
  expect(lost).toEqual([]);
  expect([...ackedBeforeKill].filter((id) => !rows.some((r) => r.client_id === id))).toEqual([]);
  expect(duplicated).toBe(0);
  expect(shownDouble).toEqual([]);
  // Every message typed was sent in the end (nothing failed), exactly once.
  const expected = USERS.flatMap((u) => Array.from({ length: PER_SENDER }, (_, k) => `${u} ${k}`));
  expect([...byText.keys()].sort()).toEqual(expected.sort());
  expect(acknowledged).toHaveLength(USERS.length * PER_SENDER);
  // The offline user's unread counts are exactly what was acknowledged to her.
  const wantUnread: Record<string, number> = {};
  for (const c of toEve) wantUnread[c.user] = (wantUnread[c.user] ?? 0) + 1;
  expect(eveUnread).toEqual(wantUnread);
  expect(toEve).toHaveLength(USERS.length * (PER_SENDER / 4));
  // Each sender's order: in each conversation, its messages' seqs follow the order it typed them.
  for (const user of USERS) {
    for (const other of [...USERS, OFFLINE].filter((o) => o !== user)) {
      const ks = streamRows
        .filter((r) => r.sender === user && r.recipient === other)
        .sort((a, b) => a.seq - b.seq)
        .map((r) => Number(r.body.split(' ')[1]));
      expect({ user, other, ks }).toEqual({ user, other, ks: [...ks].sort((a, b) => a - b) });
    }
  }
  // What each client shows is what is stored, in seq order.
  for (const [i, user] of USERS.entries()) {
    const s = clients[i]!.getState();
    for (const other of USERS.filter((o) => o !== user)) {
      const conv = conversationId(user, other);
      const want = rows.filter((r) => r.conversation === conv).map((r) => `${r.seq} ${r.body}`);
      expect((s.messages[other] ?? []).map((m) => `${m.seq} ${m.text}`)).toEqual(want);
    }
  }
}, 120_000);
