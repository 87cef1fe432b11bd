/** Certificates for TLS tests, made fresh by openssl for each run (nothing secret is checked in). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A private certificate authority and a certificate it signs for localhost and 127.0.0.1, made
 * with openssl into `into` (valid two days): a TLS server's cert and key, and the CA a client
 * trusts. Returns the files' paths.
 */
export function testCertificates(into: string): { ca: string; cert: string; key: string } {
  const f = (n: string) => path.join(into, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  // A new P-256 key, unencrypted, written to `keyFile`.
  const newKey = (keyFile: string) => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
  ssl('req', '-x509', ...newKey(f('ca.key')), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=tui-chat test CA');
  ssl('req', ...newKey(f('server.key')), '-out', f('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  );
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}
