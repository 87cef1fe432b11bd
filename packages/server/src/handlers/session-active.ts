/**
 * A person is at the keyboard: the client says so when keys are pressed, at most once a minute.
 * The idle timeout counts from this (and from messages sent), never from what a client asks by
 * itself (read marks, catch-ups, pages), so a client cannot keep an empty seat logged in.
 */
import type { Handler } from './request.js';

export const sessionActive: Handler<'session:active'> = async () => ({ ok: true });
