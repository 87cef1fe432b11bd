/** 'notice': the server tells this session something; some notices end the session. */
import type { NoticeCode } from '@tui-chat/protocol';
import type { ClientContext } from '../context.js';

export function onNotice(ctx: ClientContext, notice: { code: NoticeCode; message: string }): void {
  if (notice.code === 'idle_timeout' || notice.code === 'logged_out') {
    ctx.endSession(notice.message);
    return;
  }
  ctx.respond('notice', notice.message);
}
