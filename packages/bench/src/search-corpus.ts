/**
 * The stored messages the search scenario looks through: the same, seeded, on SQLite and on
 * PostgreSQL. A few hundred users in pair conversations (each with a handful of others) and
 * groups of 20; one user, FOCUS, has many conversations (100 more pairs, 10 groups) and is the one
 * who searches. Conversations are busy unevenly (Zipf over them), and texts are words drawn
 * Zipf-like (s = 1) from a vocabulary of 4,000: the 70 most frequent are two letters ("ba", "ke",
 * like "to" and "the", and the start of many longer words), the rest four. Nothing is held whole:
 * `batches` yields the messages a batch at a time.
 */
export const FOCUS = 'sq0';
const VOCABULARY = 4000;
const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';
const SYLLABLES = [...CONSONANTS].flatMap((c) => [...VOWELS].map((v) => c + v));

/** mulberry32: a small seeded generator, so both stores get the same texts. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The word of frequency rank `rank` (0: the most frequent). */
export function word(rank: number): string {
  if (rank < SYLLABLES.length) return SYLLABLES[rank]!;
  // Two syllables, spread by a permutation so frequent long words do not all share one start.
  const n = SYLLABLES.length;
  const i = ((rank - n) * 2017) % (n * n);
  return SYLLABLES[Math.floor(i / n)]! + SYLLABLES[i % n]!;
}

/** Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^s. */
function zipf(n: number, s: number, rand: () => number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cumulative[r] = sum += 1 / (r + 1) ** s;
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface Conversation {
  /** The pair id (`a:b`, sorted) or the group (`#name`). */
  id: string;
  /** The two users, or the group's members. */
  members: string[];
}

export interface Corpus {
  users: string[];
  groups: { name: string; members: string[] }[];
  conversations: Conversation[];
  /** How many messages in all. */
  count: number;
}

export interface CorpusRow {
  conversation: string;
  seq: number;
  from: string;
  to: string;
  text: string;
  at: number;
  clientId: string;
}

export function corpus(userCount: number, groupCount: number, count: number): Corpus {
  const users = Array.from({ length: userCount }, (_, i) => `sq${i}`);
  const pairs = new Set<string>();
  const pair = (a: number, b: number) => pairs.add([users[a]!, users[b]!].sort().join(':'));
  for (let i = 0; i < userCount; i++) for (const d of [1, 2, 3, 5, 8, 13, 21, 34]) if (d < userCount) pair(i, (i + d) % userCount);
  // FOCUS talks with many more.
  for (let j = 1; j <= Math.min(100, userCount - 1); j++) pair(0, j);
  const rand = random(7);
  const groups = Array.from({ length: groupCount }, (_, g) => {
    const members = new Set<string>(g < 10 ? [FOCUS] : []);
    while (members.size < Math.min(20, userCount)) members.add(users[1 + Math.floor(rand() * (userCount - 1))]!);
    return { name: `#sq${g}`, members: [...members].sort() };
  });
  const conversations: Conversation[] = [
    ...[...pairs].map((id) => ({ id, members: id.split(':') })),
    ...groups.map((g) => ({ id: g.name, members: g.members })),
  ];
  return { users, groups, conversations, count };
}

/** The messages, oldest first, `size` at a time; `seqs` ends with each conversation's last seq. */
export function* batches(c: Corpus, size: number, seqs: Map<string, number>): Generator<CorpusRow[]> {
  const rand = random(42);
  // Which conversation: Zipf over them in a shuffled order (busy ones are pairs and groups alike).
  const order = c.conversations.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const pickConversation = zipf(order.length, 0.7, rand);
  const pickWord = zipf(VOCABULARY, 1, rand);
  const start = 1_700_000_000_000;
  let batch: CorpusRow[] = [];
  for (let n = 0; n < c.count; n++) {
    const conv = c.conversations[order[pickConversation()]!]!;
    const seq = (seqs.get(conv.id) ?? 0) + 1;
    seqs.set(conv.id, seq);
    const from = conv.members[Math.floor(rand() * conv.members.length)]!;
    const to = conv.id.startsWith('#') ? conv.id : conv.members.find((m) => m !== from)!;
    // 1 to 40 words, 8 on average.
    const length = Math.min(40, 1 + Math.floor(-Math.log(1 - rand()) * 7));
    const words = Array.from({ length }, () => word(pickWord()));
    if (rand() < 0.5) words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    const end = rand();
    const text = words.join(' ') + (end < 0.3 ? '.' : end < 0.4 ? '?' : end < 0.45 ? '!' : '');
    batch.push({ conversation: conv.id, seq, from, to, text, at: start + n * 1000, clientId: `sq-${n}-aaaaaa` });
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The conversations `user` reads. */
export function readable(c: Corpus, user: string): Set<string> {
  return new Set(c.conversations.filter((conv) => conv.members.includes(user)).map((conv) => conv.id));
}

/** Whether `text` has every term as the start of one of its words (as search matches; the corpus has no accents). */
export function matches(text: string, terms: readonly string[]): boolean {
  const words = text.toLowerCase().split(/[^a-z]+/);
  return terms.every((t) => words.some((w) => w.startsWith(t)));
}
