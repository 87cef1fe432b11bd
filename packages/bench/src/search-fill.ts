/**
 * Fills a database with the search corpus straight, not through sockets: the store (the built
 * @tui-chat/server) makes the schema, the accounts and the groups; the messages go in with plain
 * INSERTs, many to a transaction, so the index is kept by the same triggers (SQLite) or expression
 * index (PostgreSQL) as the server's own inserts. Counts, for each query, the matches FOCUS can read.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { hashPassword, PostgresStore, SqliteStore, type Store } from '@tui-chat/server';
import { LOW_PASSWORD_COST } from '@tui-chat/server/config';
import { batches, FOCUS, matches, readable, type Corpus, type CorpusRow } from './search-corpus.js';

export interface Filled {
  seconds: number;
  /** Messages FOCUS can read, and of those, how many each query matches. */
  readable: number;
  matches: number[];
}

const BATCH = 20_000;

/** Accounts (all with `password`, at the tests' hashing cost) and groups, through the store. */
async function accounts(store: Store, c: Corpus, password: string): Promise<void> {
  const hash = await hashPassword(password, LOW_PASSWORD_COST);
  for (const u of c.users) await store.createUser(u, hash, 1);
  for (const g of c.groups) await store.createGroup(g.name, g.members[0]!, g.members, 1);
}

/** Walks the corpus, inserting each batch with `insert` and counting what FOCUS's queries match. */
async function fill(
  c: Corpus,
  queries: readonly (readonly string[])[],
  insert: (rows: CorpusRow[]) => Promise<void> | void,
  seqs: Map<string, number>,
): Promise<Filled> {
  const mine = readable(c, FOCUS);
  const counts = queries.map(() => 0);
  let visible = 0;
  const t0 = performance.now();
  for (const rows of batches(c, BATCH, seqs)) {
    await insert(rows);
    for (const r of rows) {
      if (!mine.has(r.conversation)) continue;
      visible++;
      queries.forEach((q, i) => {
        if (matches(r.text, q)) counts[i]!++;
      });
    }
  }
  return { seconds: (performance.now() - t0) / 1000, readable: visible, matches: counts };
}

type Sqlite = {
  prepare(sql: string): { run(...a: unknown[]): unknown };
  transaction<A extends unknown[]>(fn: (...a: A) => void): (...a: A) => void;
};

/** A new SQLite file at `file` with the corpus in it. */
export async function fillSqlite(file: string, c: Corpus, password: string, queries: readonly (readonly string[])[]): Promise<Filled> {
  const store = new SqliteStore(file);
  try {
    await accounts(store, c, password);
    // The store's own connection (the server child is not running yet).
    const db = (store as unknown as { db: Sqlite }).db;
    const insert = db.prepare(
      `INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'direct')`,
    );
    const tx = db.transaction((rows: CorpusRow[]) => {
      for (const r of rows) insert.run(r.conversation, r.seq, r.from, r.to, r.text, r.at, r.clientId);
    });
    const seqs = new Map<string, number>();
    const filled = await fill(c, queries, (rows) => tx(rows), seqs);
    const conversation = db.prepare(
      `INSERT INTO conversations (id, user_a, user_b, last_seq) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq`,
    );
    db.transaction(() => {
      for (const [id, last] of seqs) {
        const [a, b = a] = id.split(':');
        conversation.run(id, a, b, last);
      }
    })();
    // What the server's writer thread does once it is quiet (the index trails the messages):
    // here all at once, so the searches measured find it done, as they would on a quiet server.
    db.transaction(() => {
      db.prepare("INSERT INTO messages_search (messages_search) VALUES ('rebuild')").run();
      db.prepare('UPDATE search_progress SET indexed_upto = (SELECT COALESCE(MAX(id), 0) FROM messages)').run();
    })();
    return filled;
  } finally {
    await store.close();
  }
}

/** The corpus in the PostgreSQL database at `url` (empty: the store makes the schema). */
export async function fillPostgres(url: string, c: Corpus, password: string, queries: readonly (readonly string[])[]): Promise<Filled> {
  const store = await PostgresStore.open(url);
  try {
    await accounts(store, c, password);
  } finally {
    await store.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const seqs = new Map<string, number>();
    const column = <K extends keyof CorpusRow>(rows: CorpusRow[], k: K) => rows.map((r) => r[k]);
    const filled = await fill(
      c,
      queries,
      async (rows) => {
        await client.query(
          `INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
           SELECT *, 'direct' FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])`,
          (['conversation', 'seq', 'from', 'to', 'text', 'at', 'clientId'] as const).map((k) => column(rows, k)),
        );
      },
      seqs,
    );
    const ids = [...seqs.keys()];
    await client.query(
      `INSERT INTO conversations (id, user_a, user_b, last_seq)
       SELECT id, split_part(id, ':', 1), COALESCE(NULLIF(split_part(id, ':', 2), ''), id), last FROM unnest($1::text[], $2::bigint[]) AS t(id, last)
       ON CONFLICT (id) DO UPDATE SET last_seq = EXCLUDED.last_seq`,
      [ids, ids.map((id) => seqs.get(id)!)],
    );
    // What autovacuum does after such a load: statistics for the planner (the accounts' and
    // conversations' tables too: without them it takes the searcher for one with a few), the GIN
    // index's pending list merged.
    await client.query('VACUUM ANALYZE');
    return filled;
  } finally {
    await client.end();
  }
}
