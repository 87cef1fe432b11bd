/** An Arrival for tests (no Ink import, see wait.ts): carol writes to you, elsewhere. */
import type { Arrival } from '../../src/core/types.js';

export const arrival = (patch: Partial<Arrival> = {}): Arrival => ({
  id: 1,
  conversation: 'carol',
  from: 'carol',
  text: 'are you coming to the demo?',
  at: 0,
  kind: 'direct',
  inOpen: false,
  opened: false,
  mention: false,
  ...patch,
});
