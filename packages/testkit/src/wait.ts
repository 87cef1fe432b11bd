/** Waiting on a ChatClient's state (never sleeping for luck); shared by the client and server tests. */
import type { ChatClient, ClientState } from '@tui-chat/client';

/** Resolves with the first state (now or later) that satisfies `predicate`; the error shows where the client is. */
export function waitFor(
  client: ChatClient,
  predicate: (state: ClientState) => boolean,
  what: string,
  timeoutMs = 8000,
): Promise<ClientState> {
  const now = client.getState();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      const s = client.getState();
      const brief = {
        user: s.user,
        screen: s.screen,
        connection: s.connection,
        detail: s.connectionDetail,
        loginError: s.loginError,
        open: s.openConversation,
        responses: s.responses.slice(-4).map((r) => `${r.kind}: ${r.text}`),
      };
      reject(new Error(`timed out waiting for ${what}; state: ${JSON.stringify(brief)}`));
    }, timeoutMs);
    const unsubscribe = client.subscribe((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
  });
}

/** The texts of a conversation's messages, in order. */
export const texts = (s: ClientState, conv: string): string[] => (s.messages[conv] ?? []).map((m) => m.text);

/** A predicate: every one of `want` is in the conversation and acknowledged. */
export const allSent =
  (conv: string, want: string[]) =>
  (s: ClientState): boolean =>
    want.every((t) => (s.messages[conv] ?? []).some((m) => m.text === t && m.status === 'sent'));
