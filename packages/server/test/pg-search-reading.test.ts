/**
 * PostgreSQL migration 7 puts faster reading functions in place of migration 5's without
 * rebuilding the search index, which is only right if they read every text exactly as before.
 * A database at schema 6 reads a set of awkward texts, migrates, and must read each the same; a
 * session opened before the migration must still find messages through the index afterwards.
 */
import { afterAll, expect, test } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@tui-chat/testkit';
import { PostgresStore } from '../src/index.js';
import { migratePostgresTo } from './helpers.js';

let db: TestDatabase | undefined;
afterAll(async () => {
  await db?.drop();
});

const TEXTS = [
  '',
  'plain ascii words',
  'lunch@example.com example.com/menu 3.14 well-known a-b -lead trail- x%y+z?w=v~u&t<s>r',
  '@./:-<>&~=?%+',
  'Café crème brûlée, naïve façade',
  'Cafe\u0301 decomposed e\u0301 and A\u030a',
  'ÅNGSTRÖM ÆØÅ straße İstanbul',
  'Ελληνικά κείμενα, русский текст',
  '한국어 텍스트 and 日本語のテキスト 中文',
  'emoji 👍🏽 ❤️ 👨‍👩‍👧 flags 🇫🇷',
  'ﬁnance ligature ① ² compat',
  'tabs\tand\nnewlines\r\nhere',
  'क्षि हिन्दी  العربية עברית',
  'mixed café@example.com/menu-item',
  'x'.repeat(2000) + ' tail',
];

/** What both functions read from each text, on one connection. */
async function readAll(c: pg.Client): Promise<string[]> {
  const { rows } = await c.query<{ words: string; term: string }>(
    'SELECT tui_chat_search_vector(t)::text AS words, tui_chat_search_text(t) AS term FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n',
    [TEXTS],
  );
  return rows.map((r) => `${r.words} | ${r.term}`);
}

const SEARCH = `EXPLAIN SELECT id FROM messages WHERE tui_chat_search_vector(body) @@ to_tsquery('simple', 'needle:*')`;

test('migration 7 reads every text as migration 5 did, and searches keep using the index', async () => {
  db = await createTestDatabase();
  const early = new pg.Client({ connectionString: db.url });
  await early.connect();
  try {
    await migratePostgresTo(early, 6);
    const before = await readAll(early);
    // Enough rows that the index is the plan, and this session's view of the index built.
    await early.query(
      `INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
       SELECT 'a:b', g, 'a', 'b', 'filler text ' || g, g, 'c' || g, 'direct' FROM generate_series(1, 5000) g`,
    );
    await early.query(`INSERT INTO conversations (id, user_a, user_b, last_seq) VALUES ('a:b', 'a', 'b', 5000)`);
    await early.query('ANALYZE messages');
    expect((await early.query(SEARCH)).rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('messages_search');

    const store = await PostgresStore.open(db.url);
    try {
      expect(await readAll(early)).toEqual(before);
      const { rows } = await early.query<{ src: string }>(
        "SELECT prosrc AS src FROM pg_proc WHERE oid = to_regprocedure('tui_chat_search_vector(text)')",
      );
      expect(rows[0]!.src).not.toContain('translate'); // the faster form is in place
      expect((await early.query(SEARCH)).rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('messages_search');
      // Found through the index whether written before the migration or after it.
      await early.query(
        `INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
         VALUES ('a:b', 5001, 'a', 'b', 'the old needle, café', 1, 'old-needle', 'direct')`,
      );
      await early.query(`UPDATE conversations SET last_seq = 5001 WHERE id = 'a:b'`);
      await store.appendMessages([{ from: 'b', to: 'a', text: 'a new NEEDLE@example.com', at: 2, clientId: 'new-needle', kind: 'direct' }]);
      expect((await store.search('a', ['needle'], { limit: 5 })).map((m) => m.text)).toEqual([
        'a new NEEDLE@example.com',
        'the old needle, café',
      ]);
      expect((await store.search('b', ['cafe', 'needle'], { limit: 5 })).map((m) => m.text)).toEqual(['the old needle, café']);
    } finally {
      await store.close();
    }
  } finally {
    await early.end();
  }
});
