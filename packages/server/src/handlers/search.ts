/** Messages the user can read that hold every word of a query, newest first. */
import { fail } from '@tui-chat/protocol';
import type { Handler } from './request.js';

// The contract's first step: the store's search lands in the next commit.
export const search: Handler<'search:run'> = async () => fail('bad_request', 'Search is not ready yet.');
