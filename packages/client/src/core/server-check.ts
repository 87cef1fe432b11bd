/**
 * Asks the server's info endpoint whether a tui-chat server answers at the address, before anyone
 * types a password: the login screen says at once when nothing answers (and why, in words), and
 * whether registration is open. Plain node:http(s), so a private certificate authority (`--ca`) is
 * trusted here as it is by the socket.
 */
import http from 'node:http';
import https from 'node:https';
import { INFO_PATH, type ServerInfo } from '@tui-chat/protocol';

export type Probe = { ok: true; registrationOpen: boolean } | { ok: false; problem: string };

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up just now',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ECONNRESET: 'the connection was closed at once',
  ETIMEDOUT: 'no answer in time',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed (give its authority with --ca)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not trusted (give its authority with --ca)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not trusted (give its authority with --ca)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another name',
  CERT_HAS_EXPIRED: 'its certificate has expired',
};

/** One request to `${url}${INFO_PATH}`, at most `timeoutMs`. */
export function probeServer(url: string, options: { ca?: string | Buffer; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Probe> {
  const target = new URL(INFO_PATH, url.replace(/^ws/i, 'http'));
  const get = target.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve) => {
    const req = get(
      target,
      { timeout: options.timeoutMs ?? 5000, signal: options.signal, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > 4096) req.destroy(); // an info answer is a few dozen bytes
        });
        res.on('end', () => {
          let info: Partial<ServerInfo> = {};
          try {
            info = JSON.parse(body) as Partial<ServerInfo>;
          } catch {
            // Not JSON: not ours.
          }
          if (res.statusCode === 200 && info.name === 'tui-chat' && (info.registration === 'open' || info.registration === 'closed')) {
            resolve({ ok: true, registrationOpen: info.registration === 'open' });
          } else {
            resolve({ ok: false, problem: `something answers there, but not a tui-chat server (HTTP ${res.statusCode})` });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      resolve({ ok: false, problem: REASONS[code] ?? (code ? code.toLowerCase().replace(/_/g, ' ') : err.message) });
    });
  });
}
