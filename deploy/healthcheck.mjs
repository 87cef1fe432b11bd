#!/usr/bin/env node
/**
 * Exits 0 when the tui-chat server on this machine answers GET /tui-chat/health with 200 (its
 * database, and Redis in a cluster, reachable), else 1 with one line on stderr: the Docker
 * HEALTHCHECK, or any supervisor's. It finds the server as `tui-chat serve` does: TUI_CHAT_PORT,
 * TUI_CHAT_HOST and TUI_CHAT_TLS_CERT, else the config file TUI_CHAT_CONFIG names, else the defaults.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { parse } from 'smol-toml';

const TIMEOUT_MS = 3000;
const env = process.env;

function fail(why) {
  process.stderr.write(`tui-chat health: ${why}\n`);
  process.exit(1);
}

let file = {};
if (env.TUI_CHAT_CONFIG) {
  try {
    file = parse(fs.readFileSync(env.TUI_CHAT_CONFIG, 'utf8'));
  } catch (err) {
    fail(`cannot read ${env.TUI_CHAT_CONFIG}: ${err.message.split('\n')[0]}`);
  }
}
const setting = (name, key) => (env[name] ? env[name] : file[key]);
const port = Number(setting('TUI_CHAT_PORT', 'port') ?? 4000);
const host = String(setting('TUI_CHAT_HOST', 'host') ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
// A server on every interface is asked on loopback.
const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
const tls = Boolean(setting('TUI_CHAT_TLS_CERT', 'tls-cert'));

// Asking our own server on this machine: its certificate is for the name clients use, not this one.
const get = (tls ? https : http).get(
  { host: target, port, path: '/tui-chat/health', timeout: TIMEOUT_MS, rejectUnauthorized: false },
  (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      if (res.statusCode === 200) process.exit(0);
      fail(`${res.statusCode} ${body.slice(0, 200)}`);
    });
  },
);
get.on('timeout', () => get.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
get.on('error', (err) => fail(`${tls ? 'https' : 'http'}://${target.includes(':') ? `[${target}]` : target}:${port}: ${err.message}`));
