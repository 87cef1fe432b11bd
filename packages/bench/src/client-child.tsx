/**
 * The client's render cost, alone in its own process: the real Ink UI (App -> ChatScreen ->
 * MessagePane ...) rendered with Ink's real (non-debug, throttled) renderer into a fake
 * terminal, holding N messages in the open conversation. Measures the wall time from an
 * arrival (a new state from the client, merged the way the core merges) or a keystroke (a byte
 * on stdin) to the end of the frame written to the terminal, and the process's memory.
 *
 *   node client-child.js '{"messages":10000,"columns":120,"rows":40,"samples":40}'
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import React from 'react';
import { COMMANDS, initialState, type ClientActions, type ClientState, type DisplayMessage } from '@tui-chat/client';
import { emitToParent, serve } from './child.js';

export interface ClientBenchConfig {
  messages: number;
  columns: number;
  rows: number;
  samples: number;
  /** Pause between samples; above Ink's 33 ms frame throttle so each frame is drawn at once. */
  gapMs?: number;
  /** Another build of the client (its dist folder) to measure, for before/after figures. */
  clientDist?: string;
  /** false: Ink's own Output.get put back after the client installed its patches (what they save). */
  inkPatches?: boolean;
}

export interface ClientBenchResult {
  messages: number;
  mountMs: number;
  arrivalMs: Float64Array;
  /** An arrival in another conversation than the open one: the preview line's path. */
  previewMs: Float64Array;
  keyMs: Float64Array;
  /** Time in the core's merge of one arrival into the list (part of arrivalMs). */
  mergeMs: Float64Array;
  /** Ink's own figure: output generation per frame (part of both). */
  inkRenderMs: Float64Array;
  rss: number;
  heapUsed: number;
  /** Where the RSS goes beyond the live heap: V8's committed pages per space, and memory outside it (MiB). */
  breakdown: { heapCommitted: number; spaces: Record<string, number>; external: number; execArgv: string[] };
  /** The client's fenced patches of Ink and whether each is in (an older build without the fence: none). */
  patches: { name: string; active: boolean; reason?: string }[];
  /** Sanity: the last arrival, the last preview and the typed text are on screen. */
  arrivalVisible: boolean;
  previewVisible: boolean;
  typedVisible: boolean;
  frames: number;
  /**
   * Bytes to the terminal per arrival and per keystroke: as Ink writes them (whole frames) and as
   * the client's frame writer sends them on (the rows that changed); null for a build without it.
   */
  bytes: { arrival: { ink: number; sent: number }; key: { ink: number; sent: number } } | null;
}

type FrameCounts = { written: number; asked: number };

class FakeStdout extends EventEmitter {
  isTTY = true;
  writes: { at: number; length: number }[] = [];
  screen = '';
  /** Where Ink's writes also go: the client's frame writer over a sink that only counts. */
  tee: { write(data: string): boolean } | null = null;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (data: string): boolean => {
    this.writes.push({ at: performance.now(), length: data.length });
    this.tee?.write(data);
    if (data.length > 200) this.screen = data;
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

class BenchClient implements ClientActions {
  private readonly listeners = new Set<(s: ClientState) => void>();
  constructor(public state: ClientState) {}
  set(patch: Partial<ClientState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }
  getState = (): ClientState => this.state;
  subscribe = (listener: (s: ClientState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  login = async (): Promise<boolean> => true;
  resume = async (): Promise<boolean> => false;
  submit = async (): Promise<void> => undefined;
  open = async (): Promise<void> => undefined;
  loadOlder = async (): Promise<void> => undefined;
  listPeople = async (): Promise<void> => undefined;
  searchMore = async (): Promise<void> => undefined;
  showMessage = async (): Promise<void> => undefined;
  loadNewer = async (): Promise<void> => undefined;
  complete = (): string[] => [];
  lookupNames = async (): Promise<boolean> => false;
  lineEffect = (): null => null;
  unsent = (): { unsent: number; kept: boolean } => ({ unsent: 0, kept: false });
  active = (): void => undefined;
  draft = (): void => undefined;
  retryNow = (): boolean => false;
  logout = async (): Promise<void> => undefined;
  close = (): void => undefined;
}

const WORDS = 'the quick brown fox jumps over a lazy dog while we wait for the build to finish again'.split(' ');
const BASE = Date.UTC(2024, 5, 3, 8, 0, 0);

function message(i: number): DisplayMessage {
  // Mostly short lines, every 7th a long one that wraps, a new day every 2,000 messages.
  const words = i % 7 === 0 ? 40 : 3 + (i % 9);
  const text = Array.from({ length: words }, (_, k) => WORDS[(i * 7 + k) % WORDS.length]).join(' ');
  const fromBob = i % 3 !== 0;
  return {
    key: String(i + 1),
    from: fromBob ? 'bob' : 'alice',
    to: fromBob ? 'alice' : 'bob',
    text: `${text} #${i}`,
    at: BASE + i * 43_000,
    status: 'sent',
    seq: i + 1,
    kind: 'direct',
  };
}

/** A chat screen with `n` messages in alice's conversation with bob (what the client rows draw). */
function chatState(n: number): ClientState {
  const list = Array.from({ length: n }, (_, i) => message(i));
  // The client's own logged-out state, then what a chat screen has: a field added to ClientState
  // gets its default here without this file changing.
  return {
    ...initialState('127.0.0.1:4000', true, { bell: true, title: true, notify: 'off', typing: false }),
    screen: 'chat',
    connection: 'connected',
    user: 'alice',
    conversations: [
      { with: '(broadcasts)', unread: 0, online: false, lastAt: null },
      { with: 'bob', unread: 0, online: true, lastAt: list.at(-1)?.at ?? null },
      { with: 'carol', unread: 3, online: false, lastAt: BASE },
    ],
    openConversation: 'bob',
    messages: { bob: list, carol: [] },
    responses: [{ id: 1, at: BASE, kind: 'info', text: 'whoelse: bob' }],
    online: ['bob'],
    knownUsers: ['bob', 'carol'],
    unreadTotal: 3,
  };
}

type Merge = (list: readonly DisplayMessage[], incoming: readonly DisplayMessage[]) => DisplayMessage[];

/** The client's build: this workspace's packages/client/dist unless told otherwise. */
const defaultDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');
const distModule = (dist: string, file: string) => pathToFileURL(path.join(dist, file)).href;

async function loadMerge(dist: string): Promise<{ merge: Merge; real: boolean }> {
  try {
    // The core's own merge (what an arrival goes through before the UI sees it).
    const mod = (await import(distModule(dist, 'core/messages.js'))) as { mergeMessages?: Merge };
    if (typeof mod.mergeMessages === 'function') return { merge: mod.mergeMessages, real: true };
  } catch {
    // Moved or renamed: fall back to a plain append.
  }
  return { merge: (list, incoming) => [...list, ...incoming], real: false };
}

const nextTurn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a frame has been written after `since` and the writes have stopped; returns its end time. */
async function frameAfter(out: FakeStdout, since: number, timeoutMs = 2000): Promise<number> {
  const start = performance.now();
  for (;;) {
    const last = out.writes.at(-1);
    if (last && last.at >= since) {
      const count = out.writes.length;
      await nextTurn();
      if (out.writes.length === count) return last.at - since;
      continue;
    }
    if (performance.now() - start > timeoutMs) return NaN;
    await nextTurn();
  }
}

/** Ink exactly as published: the client's patched Output.get replaced by the one it wrapped. */
async function withoutInkPatches(dist: string): Promise<void> {
  type Get = (...args: unknown[]) => unknown;
  const cache = (await import(distModule(dist, 'patches/ink-output-cache.js'))) as {
    installInkOutputCache(): Promise<boolean>;
    inkOriginalGet: Get | null;
  };
  const { importInkInternals } = (await import(distModule(dist, 'patches/ink-internals.js'))) as {
    importInkInternals(): Promise<{ output: { default?: unknown } }>;
  };
  await cache.installInkOutputCache();
  const Output = (await importInkInternals()).output.default as { prototype: { get: Get } };
  if (!cache.inkOriginalGet) throw new Error('the client did not install its Ink patches: nothing to take out');
  Output.prototype.get = cache.inkOriginalGet;
}

/** The client's frame writer (ui/frame-writer.js) fed Ink's writes beside the screen, over a sink that only counts; null for a build without it. */
async function countingFrameWriter(dist: string, stdout: FakeStdout): Promise<FrameCounts | null> {
  type Writer = { frameWriter(s: NodeJS.WriteStream): { stream: NodeJS.WriteStream; counts: FrameCounts } };
  const mod = (await import(distModule(dist, 'ui/frame-writer.js')).catch(() => null)) as Writer | null;
  if (!mod?.frameWriter) return null;
  const sink = Object.assign(new EventEmitter(), { write: () => true, columns: stdout.columns, rows: stdout.rows, isTTY: true });
  const w = mod.frameWriter(sink as unknown as NodeJS.WriteStream);
  stdout.tee = w.stream;
  return w.counts;
}

/** Bytes per step since `from`, as Ink wrote them and as the frame writer sent them on. */
function perStep(counts: FrameCounts | null, from: FrameCounts | null, steps: number): { ink: number; sent: number } | null {
  if (!counts || !from) return null;
  return { ink: (counts.asked - from.asked) / steps, sent: (counts.written - from.written) / steps };
}

async function run(config: ClientBenchConfig): Promise<ClientBenchResult> {
  // Ink decides at import whether it runs in CI (and then draws nothing until exit).
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const ink = await import('ink');
  const dist = config.clientDist ?? defaultDist;
  const { App } = (await import(distModule(dist, 'ui/App.js'))) as typeof import('../../client/dist/ui/App.js');
  if (config.inkPatches === false) await withoutInkPatches(dist);
  const { merge, real } = await loadMerge(dist);
  const gap = config.gapMs ?? 50;

  const client = new BenchClient(chatState(config.messages));
  const stdout = new FakeStdout(config.columns, config.rows);
  const counts = await countingFrameWriter(dist, stdout);
  const stdin = new FakeStdin();
  const inkRenderMs: number[] = [];
  const t0 = performance.now();
  const instance = ink.render(<App client={client} commands={COMMANDS} onQuit={() => undefined} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }: { renderTime: number }) => inkRenderMs.push(renderTime),
  } as Parameters<typeof ink.render>[1]);
  const mountMs = await frameAfter(stdout, t0);
  // Wait until the UI listens for keys.
  for (let i = 0; i < 200 && stdin.listenerCount('readable') === 0; i++) await sleep(5);
  await sleep(100);
  inkRenderMs.length = 0;

  const arrivalMs: number[] = [];
  const mergeMs: number[] = [];
  let next = config.messages;
  let lastText = '';
  const arrivalFrom = counts && { ...counts };
  for (let s = 0; s < config.samples; s++) {
    const m = { ...message(next), from: 'bob', to: 'alice', text: `arrival ${s} ${'z'.repeat(s % 30)}`, at: BASE + next * 43_000 };
    next++;
    lastText = m.text;
    await sleep(gap);
    const start = performance.now();
    const list = merge(client.state.messages.bob ?? [], [m]);
    mergeMs.push(performance.now() - start);
    client.set({
      messages: { ...client.state.messages, bob: list },
      conversations: client.state.conversations.map((c) => (c.with === 'bob' ? { ...c, lastAt: m.at } : c)),
    });
    arrivalMs.push(await frameAfter(stdout, start));
  }
  const arrivalBytes = perStep(counts, arrivalFrom, config.samples);
  const arrivalVisible = stdout.screen.includes(lastText);

  // Arrivals elsewhere (carol's conversation, not open): unread counts and the preview line change,
  // the open conversation's pane does not. As the core does it: merged, counted, previewed.
  const previewMs: number[] = [];
  let lastPreview = '';
  for (let s = 0; s < config.samples; s++) {
    const text = `elsewhere ${s} ${'y'.repeat(s % 30)}`;
    const at = BASE + next++ * 43_000;
    lastPreview = text;
    await sleep(gap);
    const start = performance.now();
    const carol = merge(client.state.messages.carol ?? [], [
      { key: `c${s}`, from: 'carol', to: 'alice', text, at, status: 'sent', seq: s + 1, kind: 'direct' },
    ]);
    const arrival = {
      id: s + 1,
      conversation: 'carol',
      from: 'carol',
      text,
      at,
      kind: 'direct' as const,
      inOpen: false,
      opened: false,
      mention: false,
    };
    client.set({
      messages: { ...client.state.messages, carol },
      conversations: client.state.conversations.map((c) => (c.with === 'carol' ? { ...c, unread: c.unread + 1, lastAt: at } : c)),
      unreadTotal: client.state.unreadTotal + 1,
      lastArrival: arrival,
      previews: [...client.state.previews.filter((p) => p.conversation !== 'carol'), arrival],
    });
    previewMs.push(await frameAfter(stdout, start));
  }
  const previewVisible = stdout.screen.includes(lastPreview);

  const keyMs: number[] = [];
  // No spaces: a trailing space changes nothing on screen, so Ink would (rightly) write nothing.
  const typed = 'thequickbrownfoxjumpsoverthelazydogandkeepstyping';
  const keyFrom = counts && { ...counts };
  for (let s = 0; s < config.samples; s++) {
    await sleep(gap);
    const start = performance.now();
    stdin.write(typed[s % typed.length]!);
    keyMs.push(await frameAfter(stdout, start));
  }
  const keyBytes = perStep(counts, keyFrom, config.samples);
  const expectTyped = Array.from({ length: Math.min(config.samples, 12) }, (_, i) => typed[i % typed.length]).join('');
  const typedVisible = stdout.screen.includes(expectTyped);

  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3 && gc; i++) {
    gc();
    await nextTurn();
  }
  const mem = process.memoryUsage();
  const MiB = 2 ** 20;
  const spaces: Record<string, number> = {};
  for (const sp of v8.getHeapSpaceStatistics()) spaces[sp.space_name.replace(/_space$/, '')] = sp.physical_space_size / MiB;
  const breakdown = { heapCommitted: mem.heapTotal / MiB, spaces, external: mem.external / MiB, execArgv: process.execArgv };
  const frames = stdout.writes.length;
  let patches: ClientBenchResult['patches'] = [];
  try {
    // The fence module as that client build sees it (@tui-chat/protocol/fence next to it).
    const fence = (await import(pathToFileURL(createRequire(path.join(dist, 'index.js')).resolve('@tui-chat/protocol/fence')).href)) as {
      patchStatuses?: () => ClientBenchResult['patches'];
    };
    patches = fence.patchStatuses?.() ?? [];
  } catch {
    // A build from before the fence.
  }
  instance.unmount();
  instance.cleanup();
  return {
    messages: config.messages,
    mountMs,
    arrivalMs: Float64Array.from(arrivalMs),
    previewMs: Float64Array.from(previewMs),
    keyMs: Float64Array.from(keyMs),
    mergeMs: real ? Float64Array.from(mergeMs) : new Float64Array(0),
    inkRenderMs: Float64Array.from(inkRenderMs),
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    breakdown,
    patches,
    arrivalVisible,
    previewVisible,
    typedVisible,
    frames,
    bytes: arrivalBytes && keyBytes && { arrival: arrivalBytes, key: keyBytes },
  };
}

serve({ run: (config: ClientBenchConfig) => run(config) });
emitToParent('ready', { pid: process.pid });
